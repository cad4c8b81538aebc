import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Client, createUnit, createUser, TEST_DB } from '../support/harness.js';
import { issuedForm, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * Issue 8, tests: a bounded bad-input fuzz over the OpenAPI document. Every operation gets a few
 * dozen generated bad requests (wrong types, NUL characters, huge and negative integers, overlong
 * text, missing and unknown fields, malformed JSON, odd path parameters and query strings), as the
 * administrator and as a plain member. It fails on any 5xx, any stack trace or SQL in a body, and
 * any change made by a refused request (row counts, the audit chain's head and the latest update
 * times, compared around each one).
 *
 * Deterministic: the seed (FUZZ_SEED, default below) fixes every request; a failure prints the seed
 * and the request, so `FUZZ_SEED=<seed> npx vitest run test/integration/fuzz.test.ts` reproduces it.
 * FUZZ_PER_OPERATION sets the number of requests per operation and caller; FUZZ_DEBUG=1 prints every
 * accepted write (what a run actually changed).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260808);
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 22);

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  additionalProperties?: boolean | Schema;
  default?: unknown;
};
type Parameter = { in: 'path' | 'query'; name: string; required?: boolean; schema: Schema };
type Operation = { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } };
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface FuzzRequest {
  kind: string;
  method: Method;
  url: string;
  payload?: string;
  contentType?: string;
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}
type Rnd = ReturnType<typeof prng>;

const HUGE_INTS = [2 ** 31, 2 ** 31 + 1, 2 ** 53, -(2 ** 31) - 1, 1e300, 99_999_999_999];
const NO_SUCH_ID = 2_147_483_647;
// Forms a lenient parse reads as a number ('%20…', '+…', '0x…', '1e…') name no row, so an accepted
// one cannot delete or change the fixture's own memberships or units.
const ODD_INT_PATH = [
  '0',
  '-1',
  '2147483648',
  '99999999999999999999',
  '1.5',
  '1e12',
  'abc',
  '%00',
  '1%00',
  '%ZZ',
  '%',
  '%E4',
  '0x7ffffffe',
  '%202147483646',
  '+2147483646',
  '9'.repeat(400),
  "1'--",
  NO_SUCH_ID.toString(),
];
const ODD_STRING_PATH = ['%00', 'a%00b', 'x'.repeat(400), '..', '%2e%2e%2f', '%E4%B8%AD%E6%96%87', '%ZZ', '%', "'", '%22%3E%3C', '0', '-1', '2147483648'];
const ODD_TEXT = ['\u0000', 'a\u0000b', '\ud800', 'x'.repeat(20_001), '', ' ', "'; drop table unit; --", '%00', '\u202e\u0000', '9'.repeat(40)];
const MALFORMED_JSON = ['{"a":', '{', '[1,', 'nul', '\u0000', '{"a":1}}', '{"a":"\\ud800"}', "{'a':1}", '{"a":NaN}', '1e99999', '"\u0000"'];
const WRONG_TYPES: unknown[] = ['text', 42, -1.5, true, null, [], {}, [1, 2], { a: 1 }, '1', 'true'];

const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** Known ids of the fixture by field name, so a request gets past "not found" to what it checks next. */
type Ids = { unit: number; person: number; caseId: number; part: number; account: number };
function idFor(name: string, ids: Ids): number {
  const n = name.toLowerCase();
  if (n.includes('part')) return ids.part;
  if (n.includes('case')) return ids.caseId;
  if (n.includes('person') || n === 'watcherpersonids') return ids.person;
  if (n.includes('account')) return ids.account;
  if (n.includes('unit') || n.includes('parent')) return ids.unit;
  return 1;
}

/** A plausible value for `s`: the baseline a single mutation then breaks. */
function sample(s: Schema, rnd: Rnd, ids: Ids, name = '', depth = 0): unknown {
  if (s.anyOf || s.oneOf) return sample(rnd.pick((s.anyOf ?? s.oneOf) as Schema[]), rnd, ids, name, depth);
  if (s.allOf) return sample(s.allOf[0] as Schema, rnd, ids, name, depth);
  if (s.const !== undefined) return s.const;
  if (s.enum) return rnd.pick(s.enum);
  switch (typeOf(s)) {
    case 'integer':
    case 'number': {
      if (/id$|ids$/i.test(name)) return idFor(name, ids);
      if (name === 'year') return 2026;
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
      return Math.min(Math.max(min, 1), s.maximum ?? 1);
    }
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'date') return '2026-10-20';
      if (s.format === 'date-time') return '2026-09-29T02:00:00.000Z';
      if (s.pattern?.includes('[01]\\d|2[0-3]')) return '09:00';
      if (s.pattern?.includes('\\d{4}-\\d{2}')) return '2026-09';
      if (s.pattern?.includes('[a-z][a-z0-9_]')) return 'fuzz_code';
      if (s.pattern?.includes('A-Za-z0-9_.@-')) return 'fuzzuser';
      if (s.pattern?.includes('0-9+')) return '13800000000';
      const len = Math.min(Math.max(s.minLength ?? 0, 4), s.maxLength ?? 4);
      return '测试fuzz'.repeat(4).slice(0, len);
    }
    case 'array': {
      const n = Math.max(s.minItems ?? 0, 1);
      return Array.from({ length: n }, () => sample(s.items ?? {}, rnd, ids, name, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(k) || rnd.next() < 0.5) out[k] = sample(p, rnd, ids, k, depth + 1);
      }
      return out;
    }
    default:
      return 'x';
  }
}

/** Every place in a value a mutation may hit, with the schema expected there when known. */
function places(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [path];
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...places(x, [...path, Array.isArray(v) ? Number(k) : k]));
  return out;
}
const getAt = (v: unknown, path: (string | number)[]) => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], v);
function setAt(v: unknown, path: (string | number)[], x: unknown): unknown {
  if (!path.length) return x;
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1] as string | number] = x;
  return copy;
}
function deleteAt(v: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(o)) o.splice(Number(last), 1);
  else delete o[last];
  return copy;
}

/** One broken variant of a valid-looking body. */
function mutateBody(base: unknown, rnd: Rnd): { kind: string; value: unknown } {
  const spots = places(base);
  const at = rnd.pick(spots);
  const here = getAt(base, at);
  const kind = rnd.pick(['wrong_type', 'nul', 'huge_int', 'negative', 'overlong', 'missing', 'unknown_field', 'no_such_id', 'odd_text', 'deep', 'long_list']);
  switch (kind) {
    case 'wrong_type':
      return { kind, value: setAt(base, at, rnd.pick(WRONG_TYPES.filter((w) => typeof w !== typeof here))) };
    case 'nul':
      return { kind, value: setAt(base, at, typeof here === 'string' ? `${here}\u0000` : 'a\u0000b') };
    case 'huge_int':
      return { kind, value: setAt(base, at, rnd.pick(HUGE_INTS)) };
    case 'negative':
      return { kind, value: setAt(base, at, rnd.pick([-1, 0, -2_147_483_648])) };
    case 'overlong':
      return { kind, value: setAt(base, at, 'x'.repeat(rnd.pick([201, 10_001, 100_001]))) };
    case 'missing':
      return at.length ? { kind, value: deleteAt(base, at) } : { kind, value: undefined };
    case 'unknown_field': {
      const target = here && typeof here === 'object' && !Array.isArray(here) ? at : [];
      const obj = getAt(base, target);
      return { kind, value: setAt(base, target, { ...(obj && typeof obj === 'object' ? obj : {}), zzUnknown: rnd.pick(WRONG_TYPES) }) };
    }
    case 'no_such_id':
      return { kind, value: setAt(base, at, typeof here === 'number' || !at.length ? NO_SUCH_ID : [NO_SUCH_ID]) };
    case 'deep': {
      let deep: unknown = 1;
      for (let i = 0; i < 200; i++) deep = { a: deep };
      return { kind, value: setAt(base, at, deep) };
    }
    case 'long_list':
      return {
        kind,
        value: setAt(
          base,
          at,
          Array.from({ length: 2000 }, (_, i) => (typeof here === 'number' ? i : here)),
        ),
      };
    default:
      return { kind, value: setAt(base, at, rnd.pick(ODD_TEXT)) };
  }
}

/** Fills `{id}`-style path parameters: real ids for body and query mutations, odd values otherwise. */
function fillPath(path: string, params: Parameter[], rnd: Rnd, ids: Ids, odd: boolean): string {
  const pathParams = params.filter((p) => p.in === 'path');
  const oddOne = odd ? rnd.pick(pathParams) : undefined;
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const p = pathParams.find((x) => x.name === name);
    const integer = p && typeOf(p.schema) === 'integer';
    if (p === oddOne) return integer ? rnd.pick(ODD_INT_PATH) : rnd.pick(ODD_STRING_PATH);
    if (!integer) return name === 'date' ? '2026-10-01' : name === 'year' ? '2026' : 'zz_no_such';
    if (name === 'year') return '2026';
    if (name === 'id' && path.startsWith('/api/v1/cases')) return String(ids.caseId);
    if (name === 'id' && path.startsWith('/api/v1/units')) return String(ids.unit);
    if (name === 'id' && path.startsWith('/api/v1/people')) return String(ids.person);
    if (name === 'id' && path.startsWith('/api/v1/accounts')) return String(ids.account);
    return String(idFor(name, ids) === 1 ? NO_SUCH_ID : idFor(name, ids));
  });
}

/** A lone surrogate has no UTF-8 form: sent as the bytes a careless client would send instead. */
const enc = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return `${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
};
function queryString(q: [string, string][], raw = false) {
  return q.length ? `?${q.map(([k, v]) => `${raw ? k : enc(k)}=${raw ? v : enc(v)}`).join('&')}` : '';
}

function generate(method: Method, path: string, op: Operation, rnd: Rnd, ids: Ids, n: number): FuzzRequest[] {
  const params = op.parameters ?? [];
  const query = params.filter((p) => p.in === 'query');
  const hasPath = params.some((p) => p.in === 'path');
  const json = op.requestBody?.content['application/json']?.schema;
  const baseQuery = (): [string, string][] =>
    query.filter((p) => p.required || rnd.next() < 0.3).map((p) => [p.name, String(sample(p.schema, rnd, ids, p.name))] as [string, string]);
  const kinds = [
    ...(hasPath ? ['path'] : []),
    ...(query.length ? ['query', 'query', 'query_raw'] : []),
    ...(json ? ['body', 'body', 'body', 'body', 'json', 'content_type'] : []),
    'unknown_query',
  ];
  const out: FuzzRequest[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rnd.pick(kinds);
    const url = fillPath(path, params, rnd, ids, kind === 'path');
    const body = json ? sample(json, rnd, ids) : undefined;
    // Odd paths and queries carry the valid-looking body or a broken one; an unknown query
    // parameter (ignored where a route has no query schema) always a broken one.
    const broken = body !== undefined && (kind === 'unknown_query' || rnd.next() < 0.5);
    const payload = body === undefined ? undefined : broken ? JSON.stringify(mutateBody(body, rnd).value ?? null) : JSON.stringify(body);
    const req: FuzzRequest = { kind, method, url: url + queryString(baseQuery()), payload, contentType: payload ? 'application/json' : undefined };
    if (kind === 'query') {
      const q = baseQuery();
      const p = rnd.pick(query);
      const v = rnd.pick([...ODD_TEXT.filter((t) => t.length < 5000), ...HUGE_INTS.map(String), '-1', '0', '1.5', 'true', '[]', '{}', '2026-13-45']);
      const rest = q.filter(([k]) => k !== p.name);
      req.url = url + queryString(rnd.next() < 0.2 ? [...q, [p.name, v], [p.name, v]] : [...rest, [p.name, v]]);
      req.kind = `query:${p.name}`;
    } else if (kind === 'query_raw') {
      const p = rnd.pick(query);
      req.url = `${url}?${p.name}=${rnd.pick(['%', '%ZZ', '%E4', '%00', 'a b', '#x', '%%', '&&&', '=', 'é'])}`;
    } else if (kind === 'unknown_query') {
      req.url = url + queryString([...baseQuery(), ['zzUnknown', rnd.pick(ODD_TEXT.filter((t) => t.length < 100))]]);
    } else if (kind === 'body' && json) {
      const m = mutateBody(body, rnd);
      req.kind = `body:${m.kind}`;
      req.payload = m.value === undefined ? '' : JSON.stringify(m.value);
    } else if (kind === 'json') {
      req.payload = rnd.pick([...MALFORMED_JSON, '[]', '"text"', '42', 'null', '', '['.repeat(3000)]);
    } else if (kind === 'content_type') {
      req.contentType = rnd.pick([
        'text/plain',
        'application/xml',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
        '',
      ]);
    }
    out.push(req);
  }
  return out;
}

/** Row counts, the audit head and latest update times: what a refused request must leave as it was. */
async function snapshot(o: LiaisonOrg): Promise<string> {
  const tables = [
    'organization',
    'policy',
    'policy_unit',
    'unit_type',
    'unit',
    'person',
    'role',
    'role_permission',
    'membership',
    'account',
    'session',
    'api_token',
    'calendar_day',
    'calendar_year',
    'audit_event',
    'case_record',
    'case_part',
    'case_clock',
    'case_task',
    'case_event',
    'case_watch',
    'case_link',
    'case_attachment',
    'notification',
    'outbox',
    'assessment',
    'assessment_event',
    'assessment_period',
    'search_doc',
  ];
  const counts = tables.map((t) => sql`(select count(*) from ${sql.table(t)})`);
  const r = await sql<Record<string, unknown>>`select ${sql.join(counts)},
      (select hash from audit_event order by seq desc limit 1) as audit_head,
      (select max(updated_at) from unit) as unit_at, (select max(updated_at) from person) as person_at,
      (select max(updated_at) from account) as account_at, (select coalesce(sum(failures), 0) from login_throttle) as failed,
      (select max(updated_at) from policy) as policy_at, (select max(updated_at) from policy_unit) as policy_unit_at, (select max(updated_at) from case_record) as case_at,
      (select sum(version) from case_record) as case_versions, (select max(updated_at) from case_part) as part_at,
      (select count(*) from notification where read_at is not null) as read_count,
      (select count(*) from api_token where revoked_at is not null) as revoked`.execute(o.t.services.db.kysely);
  return JSON.stringify(Object.values(r.rows[0] ?? {}).map(String));
}

const LEAK =
  /\bat [\w.<>]+ \(|\.[jt]s:\d+:\d+|node_modules|\bSELECT\b|\bINSERT INTO\b|\bDELETE FROM\b|\bUPDATE \w+ SET\b|SQLITE_|syntax error at|violates|relation "|invalid input syntax|out of range for type|unsupported Unicode escape|stack/i;

describe(`bad-input fuzz over the OpenAPI document (${TEST_DB}, seed ${SEED})`, () => {
  let o: LiaisonOrg;
  let ids: Ids;
  let doc: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    // A unit, person and account of their own for the fuzz to aim at: a request the server accepts
    // (a lenient path like "%201" is id 1) must not lock the two callers out.
    const unit = await createUnit(o.admin, o.units.root, 'FUZZ', '模糊测试部');
    const target = await createUser(o.t, o.admin, { unitId: unit, role: 'staff', username: 'fuzztarget' });
    ids = { unit, person: target.personId, caseId: id, part: detail.parts[0].id, account: target.accountId };
    doc = (await anonymous(o.t).get('/api/v1/openapi.json')).json();
  }, 60_000);
  afterAll(() => o?.t.close());

  it('answers every generated bad request with a clean 4xx that changes nothing', async () => {
    const rnd = prng(SEED);
    const callers: [string, Client][] = [
      ['admin', o.admin],
      ['member', o.people.worker.client],
    ];
    const failures: string[] = [];
    let sent = 0;
    const byStatus = new Map<number, number>();
    const started = Date.now();
    // Nothing runs between two requests: one request's "after" is the next one's "before".
    let before = await snapshot(o);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase() as Method;
        // Logging out ends the caller's session: nothing to fuzz there but the session itself.
        if (path === '/api/v1/auth/logout') continue;
        for (const [who, c] of callers) {
          for (const r of generate(method, path, op, rnd, ids, PER_OPERATION)) {
            let res: LightMyRequestResponse;
            try {
              res = await o.t.app.inject({
                method: r.method,
                url: r.url,
                headers: {
                  cookie: c.cookie as string,
                  ...(method !== 'GET' && { 'x-csrf-token': c.csrf as string }),
                  ...(r.contentType !== undefined && { 'content-type': r.contentType }),
                },
                ...(r.payload !== undefined && { payload: r.payload }),
              });
            } catch (e) {
              // light-my-request itself refuses some URLs (it never reaches the server).
              if (e instanceof TypeError && /url|path|character/i.test(e.message)) continue;
              throw e;
            }
            sent++;
            byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
            if (process.env.FUZZ_DEBUG && res.statusCode < 300 && r.method !== 'GET')
              console.info(`${who} ${r.kind} ${r.method} ${r.url.slice(0, 100)} ${(r.payload ?? '').slice(0, 100)} → ${res.statusCode}`);
            const type = String(res.headers['content-type'] ?? '');
            const text = /json|text/.test(type) && !/html/.test(type) ? res.body : '';
            const after = await snapshot(o);
            const problems = [
              res.statusCode >= 500 && `status ${res.statusCode}`,
              LEAK.test(text) && 'leaks internals',
              res.statusCode >= 400 && !/^application\/json/.test(type) && `error as ${type || 'no content type'}`,
              res.statusCode >= 400 && before !== after && 'a refused request changed data',
            ].filter(Boolean);
            if (problems.length) {
              const body = (r.payload ?? '').slice(0, 160);
              failures.push(
                `${problems.join(', ')}: ${who} ${r.kind} ${r.method} ${r.url.slice(0, 160)} ${body} → ${res.statusCode} ${res.body.slice(0, 200)}`,
              );
            }
            before = after;
          }
        }
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const statuses = [...byStatus].sort(([a], [b]) => a - b).map(([k, v]) => `${k}×${v}`);
    console.info(`fuzz (${TEST_DB}, seed ${SEED}): ${sent} requests in ${seconds.toFixed(1)} s (${statuses.join(' ')}), ${failures.length} failures`);
    expect(sent).toBeGreaterThan(2000);
    expect(failures.slice(0, 25), `seed ${SEED}: ${failures.length} failures`).toEqual([]);
  }, 120_000);
});
