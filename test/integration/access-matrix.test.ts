import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROLES, type RouteEntry } from '../../src/server/modules/access/index.js';
import { registerCaseTypes } from '../../src/server/modules/cases/index.js';
import { systemContext } from '../../src/server/platform/context.js';
import { testNote } from '../support/case-family-types.js';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

/**
 * Generated from the route table: every /api/v1 endpoint × every role × a target inside the role's
 * unit subtree and one outside it. Each role is held in unit A; B is a sibling of A. A route
 * without a probe below fails the test, so a new endpoint cannot skip the matrix.
 */

registerCaseTypes(testNote);

interface Target {
  unitId: number;
  parentId: number;
  personId: number;
  accountId: number;
  membershipId: number;
  marker: string;
}

interface Probe {
  url: string;
  body?: unknown;
  /** Multipart or other raw payloads. */
  raw?: { payload: Buffer | string; contentType: string };
}

interface Fresh {
  /** An empty unit next to the target (deletable). */
  unit: (t: Target) => Promise<number>;
  /** A person without an account, in a new unit next to the target. */
  person: (t: Target) => Promise<number>;
  /** A complete new target next to the given one. */
  target: (t: Target) => Promise<Target>;
}
type ProbeFactory = (target: Target, ctx: { fresh: Fresh; me: RoleUser }) => Promise<Probe> | Probe;

interface RoleUser {
  role: string;
  client: Client;
  password: string;
  accountId: number;
  personId: number;
}

let seq = 0;
const next = () => ++seq;

/** Cases are reached through relational roles: every probe drafts its own form from unit A (where every role user is a member) to the target. */
const world = {
  unitA: 0,
  leaderPersonId: 0,
  t: null as TestApp | null,
  senderDrafter: null as Client | null,
  senderLeader: null as Client | null,
  senderUnit: 0,
  senderLeaderId: 0,
};

/**
 * Routes whose answer names the other party of a case the user is party to (the receiving unit of a
 * form they sent, the unit they proposed to assess), or the units a form may be addressed to:
 * showing them is the point, not a leak.
 */
const NAMES_THE_OTHER_PARTY = new Set(['GET /api/v1/cases/:id', 'GET /api/v1/assessments/:id', 'GET /api/v1/cases/receiver-units']);

/** A form sent to unit A from another unit, issued: every role user in A is a receiver of it. */
async function receivedCase(): Promise<{ id: number; partId: number }> {
  const drafter = world.senderDrafter as Client;
  const r = await drafter.post('/api/v1/cases', {
    type: 'contact_form',
    initiatorUnitId: world.senderUnit,
    fields: {
      title: '发给甲部的联系单',
      body: '请甲部配合。',
      dueDate: '2099-12-31',
      receivers: [{ unitId: world.unitA, role: 'main' }],
      signingLeaderPersonId: world.senderLeaderId,
    },
  });
  const id = r.json().id;
  await drafter.post(`/api/v1/cases/${id}/actions`, { action: 'submit' });
  const d = (await (world.senderLeader as Client).post(`/api/v1/cases/${id}/actions`, { action: 'issue' })).json();
  return { id, partId: d.parts[0].id };
}
const caseFields = (target: Target) => ({
  title: '矩阵测试联系单',
  body: '访问矩阵测试用的工作联系单。',
  dueDate: '2099-12-31',
  receivers: [{ unitId: target.unitId, role: 'main' }],
  signingLeaderPersonId: world.leaderPersonId,
});
async function draftCase(me: RoleUser, target: Target): Promise<{ id: number; version: number; partId: number }> {
  const r = await me.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: world.unitA, fields: caseFields(target) });
  if (r.statusCode !== 201) throw new Error(`draft as ${me.role}: ${r.body}`);
  const d = (await me.client.get(`/api/v1/cases/${r.json().id}`)).json();
  return { id: d.id, version: d.version, partId: d.parts[0].id };
}
const textUpload = (url: string) => {
  const b = 'matrix-boundary';
  const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="说明.txt"\r\nContent-Type: text/plain\r\n\r\n矩阵附件\r\n--${b}--\r\n`;
  return { url, raw: { payload, contentType: `multipart/form-data; boundary=${b}` } };
};
async function proposal(me: RoleUser, target: Target): Promise<number> {
  const t = world.t as TestApp;
  const c = await draftCase(me, target);
  return t.services.db.kysely.transaction().execute((tx) =>
    t.services.assessments.propose(tx, systemContext(), {
      rule: 'contact_form.finished_late',
      sourceType: 'case',
      sourceId: c.id,
      sourcePartId: c.partId,
      evidence: 'LXD-matrix',
      subjectUnitId: target.unitId,
      proposerUnitId: world.unitA,
      proposerPersonId: me.personId,
      judgePersonId: world.leaderPersonId,
    }),
  );
}

/** A delegation of the caller's own roles to the sending unit's leader, on a day of its own. */
const delegationBody = () => {
  const from = Date.now() + next() * 86_400_000;
  return { deputyPersonId: world.senderLeaderId, from: new Date(from).toISOString(), until: new Date(from + 3_600_000).toISOString(), reason: '矩阵' };
};

const PROBES: Record<string, ProbeFactory> = {
  'GET /api/v1/setup': () => ({ url: '/api/v1/setup' }),
  'POST /api/v1/setup': () => ({
    url: '/api/v1/setup',
    body: { organizationName: '重复初始化', admin: { name: 'x', username: 'xx', password: 'Abcdefg123' } },
  }),
  'POST /api/v1/auth/login': () => ({ url: '/api/v1/auth/login', body: { username: 'nobody', password: 'x' } }),
  'POST /api/v1/auth/logout': () => ({ url: '/api/v1/auth/logout' }),
  'GET /api/v1/auth/me': () => ({ url: '/api/v1/auth/me' }),
  'POST /api/v1/auth/password': (_t, { me }) => ({ url: '/api/v1/auth/password', body: { currentPassword: me.password, newPassword: me.password } }),
  'GET /api/v1/me/tokens': () => ({ url: '/api/v1/me/tokens' }),
  'POST /api/v1/me/tokens': () => ({ url: '/api/v1/me/tokens', body: { name: `t${next()}` } }),
  'DELETE /api/v1/me/tokens/:id': async (_t, { me }) => {
    const created = await me.client.post('/api/v1/me/tokens', { name: `d${next()}` });
    return { url: `/api/v1/me/tokens/${created.json().id}` };
  },
  'GET /api/v1/accounts': () => ({ url: '/api/v1/accounts' }),
  'POST /api/v1/accounts': async (t, { fresh }) => ({
    url: '/api/v1/accounts',
    body: { personId: await fresh.person(t), username: `acc${next()}`, password: 'Account123' },
  }),
  'PATCH /api/v1/accounts/:id': (t) => ({ url: `/api/v1/accounts/${t.accountId}`, body: { active: true } }),
  'GET /api/v1/accounts/candidates': () => ({ url: '/api/v1/accounts/candidates' }),
  'POST /api/v1/accounts/bulk': async (t, { fresh }) => ({ url: '/api/v1/accounts/bulk', body: { personIds: [await fresh.person(t)] } }),
  'GET /api/v1/accounts/:id/tokens': (t) => ({ url: `/api/v1/accounts/${t.accountId}/tokens` }),
  'DELETE /api/v1/accounts/:id/tokens/:tokenId': async (t) => {
    const row = await (world.t as TestApp).services.db.kysely
      .insertInto('api_token')
      .values({
        account_id: t.accountId,
        name: 'm',
        token_hash: `m${next()}`,
        prefix: 'lia_m',
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { url: `/api/v1/accounts/${t.accountId}/tokens/${row.id}` };
  },
  'GET /api/v1/roles': () => ({ url: '/api/v1/roles' }),
  'PUT /api/v1/roles/:code': () => ({ url: '/api/v1/roles/staff', body: { permissions: ['org.read'] } }),
  'GET /api/v1/unit-types': () => ({ url: '/api/v1/unit-types' }),
  'POST /api/v1/unit-types': () => ({ url: '/api/v1/unit-types', body: { code: `ut${next()}`, nameZh: '类型', nameEn: 'Type' } }),
  'GET /api/v1/units': () => ({ url: '/api/v1/units' }),
  'POST /api/v1/units': (t) => ({ url: '/api/v1/units', body: { parentId: t.unitId, code: `N${next()}`, name: '新单位', typeCode: 'team' } }),
  'GET /api/v1/units/:id': (t) => ({ url: `/api/v1/units/${t.unitId}` }),
  'PATCH /api/v1/units/:id': (t) => ({ url: `/api/v1/units/${t.unitId}`, body: { sortOrder: next() } }),
  'DELETE /api/v1/units/:id': async (t, { fresh }) => ({ url: `/api/v1/units/${await fresh.unit(t)}` }),
  'GET /api/v1/units/:id/history': (t) => ({ url: `/api/v1/units/${t.unitId}/history` }),
  'GET /api/v1/people': (t) => ({ url: `/api/v1/people?q=${encodeURIComponent(t.marker)}` }),
  'POST /api/v1/people': (t) => ({ url: '/api/v1/people', body: { name: '新人', unitId: t.unitId, roleCode: 'staff' } }),
  'GET /api/v1/people/:id': (t) => ({ url: `/api/v1/people/${t.personId}` }),
  'PATCH /api/v1/people/:id': (t) => ({ url: `/api/v1/people/${t.personId}`, body: { post: `岗${next()}` } }),
  'GET /api/v1/people/:id/history': (t) => ({ url: `/api/v1/people/${t.personId}/history` }),
  'POST /api/v1/memberships': async (t, { fresh }) => ({
    url: '/api/v1/memberships',
    body: { personId: await fresh.person(t), unitId: t.unitId, roleCode: 'team_leader' },
  }),
  'DELETE /api/v1/memberships/:id': async (t, { fresh }) => {
    const f = await fresh.target(t);
    return { url: `/api/v1/memberships/${f.membershipId}` };
  },
  'GET /api/v1/calendar/deadline': () => ({ url: '/api/v1/calendar/deadline?from=2026-09-30T10:00:00%2B08:00&workingDays=1' }),
  'GET /api/v1/calendar/years/:year': () => ({ url: '/api/v1/calendar/years/2026' }),
  'GET /api/v1/calendar/terms': () => ({ url: '/api/v1/calendar/terms' }),
  'PUT /api/v1/calendar/terms': () => ({
    url: '/api/v1/calendar/terms',
    body: { terms: [{ name: '2026 秋季学期', startsOn: '2026-09-01', endsOn: '2027-01-22' }] },
  }),
  'PUT /api/v1/calendar/overrides': () => ({ url: '/api/v1/calendar/overrides', body: { date: '2026-12-31', kind: 'holiday', name: '厂庆' } }),
  'DELETE /api/v1/calendar/overrides/:date': () => ({ url: '/api/v1/calendar/overrides/2026-12-30' }),
  'POST /api/v1/calendar/years': () => ({ url: '/api/v1/calendar/years', body: { year: 2030, source: 'test', days: [] } }),
  'PUT /api/v1/calendar/policy': () => ({ url: '/api/v1/calendar/policy', body: { workdayStart: '08:30', workdayEnd: '17:30' } }),
  'POST /api/v1/schedules/preview': () => ({
    url: '/api/v1/schedules/preview',
    body: { rule: { freq: 'weekly', weekdays: [1], start: '2026-09-01', time: '09:00', nonWorkingDay: 'next' }, from: '2026-09-01', to: '2026-10-31' },
  }),
  'GET /api/v1/org/import-template': () => ({ url: '/api/v1/org/import-template' }),
  'GET /api/v1/org/export': () => ({ url: '/api/v1/org/export' }),
  'POST /api/v1/org/import': () => {
    const b = 'matrix-boundary';
    const csv = `单位编码,单位名称,单位类型,上级单位编码\r\nM${next()},矩阵导入,team,ROOT\r\n`;
    const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${b}--\r\n`;
    return { url: '/api/v1/org/import', raw: { payload, contentType: `multipart/form-data; boundary=${b}` } };
  },
  'GET /api/v1/audit': (t) => ({ url: `/api/v1/audit?q=${encodeURIComponent(t.marker)}` }),
  'GET /api/v1/audit/verify': () => ({ url: '/api/v1/audit/verify' }),
  'GET /api/v1/case-types': () => ({ url: '/api/v1/case-types' }),
  'GET /api/v1/cases': () => ({ url: '/api/v1/cases?tab=all' }),
  'GET /api/v1/cases/export.xlsx': () => ({ url: '/api/v1/cases/export.xlsx?tab=mine' }),
  'POST /api/v1/cases': (t) => ({ url: '/api/v1/cases', body: { type: 'contact_form', initiatorUnitId: world.unitA, fields: caseFields(t) } }),
  'GET /api/v1/cases/unit-members': () => ({ url: `/api/v1/cases/unit-members?unitId=${world.unitA}` }),
  'GET /api/v1/cases/receiver-units': () => ({ url: '/api/v1/cases/receiver-units' }),
  'GET /api/v1/cases/signing-leaders': () => ({ url: `/api/v1/cases/signing-leaders?unitId=${world.unitA}` }),
  'GET /api/v1/cases/:id': async (t, { me }) => ({ url: `/api/v1/cases/${(await draftCase(me, t)).id}` }),
  'PUT /api/v1/cases/:id': async (t, { me }) => {
    const c = await draftCase(me, t);
    return { url: `/api/v1/cases/${c.id}`, body: { version: c.version, fields: caseFields(t) } };
  },
  'POST /api/v1/cases/:id/actions': async (t, { me }) => ({ url: `/api/v1/cases/${(await draftCase(me, t)).id}/actions`, body: { action: 'submit' } }),
  'POST /api/v1/cases/:id/comments': async (t, { me }) => ({ url: `/api/v1/cases/${(await draftCase(me, t)).id}/comments`, body: { text: '意见' } }),
  'POST /api/v1/cases/:id/links': async (t, { me }) => ({
    url: `/api/v1/cases/${(await draftCase(me, t)).id}/links`,
    body: { otherCaseId: (await draftCase(me, t)).id },
  }),
  // Merging (issue 9 §4): two notes of a test type whose drafter may merge them (no server type merges yet).
  'POST /api/v1/cases/:id/merge': async (t, { me }) => {
    const note = async () =>
      (await me.client.post('/api/v1/cases', { type: testNote.code, initiatorUnitId: world.unitA, fields: { title: `${t.marker}记事` } })).json().id;
    return { url: `/api/v1/cases/${await note()}/merge`, body: { targetCaseId: await note() } };
  },
  'PUT /api/v1/cases/:id/watch': async (t, { me }) => ({ url: `/api/v1/cases/${(await draftCase(me, t)).id}/watch`, body: { watching: true } }),
  'GET /api/v1/cases/:id/parts/:partId/members': async () => {
    const c = await receivedCase();
    return { url: `/api/v1/cases/${c.id}/parts/${c.partId}/members` };
  },
  // The printed form names its receiving units; a form received by A keeps the out-of-scope target off the page.
  'GET /api/v1/cases/:id/print': async () => ({ url: `/api/v1/cases/${(await receivedCase()).id}/print` }),
  'GET /api/v1/cases/:id/print.pdf': async () => ({ url: `/api/v1/cases/${(await receivedCase()).id}/print.pdf` }),
  'POST /api/v1/cases/:id/attachments': async (t, { me }) => textUpload(`/api/v1/cases/${(await draftCase(me, t)).id}/attachments`),
  'GET /api/v1/cases/:id/attachments/:attachmentId': async (t, { me }) => {
    const c = await draftCase(me, t);
    const up = textUpload(`/api/v1/cases/${c.id}/attachments`);
    const res = await (world.t as TestApp).app.inject({
      method: 'POST',
      url: up.url,
      payload: up.raw.payload,
      headers: { cookie: me.client.cookie as string, 'x-csrf-token': me.client.csrf as string, 'content-type': up.raw.contentType },
    });
    return { url: `/api/v1/cases/${c.id}/attachments/${res.json().id}` };
  },
  'GET /api/v1/policies': () => ({ url: '/api/v1/policies' }),
  'PUT /api/v1/policies/:key': () => ({ url: '/api/v1/policies/contactForm.reviewWorkingDays', body: { value: 2 } }),
  'PUT /api/v1/policies': () => ({ url: '/api/v1/policies', body: { values: { 'contactForm.reviewWorkingDays': 2 } } }),
  'PUT /api/v1/policies/units/:unitId': (t) => ({ url: `/api/v1/policies/units/${t.unitId}`, body: { values: { 'contactForm.reviewWorkingDays': 2 } } }),
  // 委托代理: for oneself, each probe its own day (a delegation of one principal may not overlap another).
  'GET /api/v1/delegations': () => ({ url: '/api/v1/delegations' }),
  'POST /api/v1/delegations': () => ({ url: '/api/v1/delegations', body: delegationBody() }),
  'POST /api/v1/delegations/:id/revoke': async (_t, { me }) => {
    const made = await me.client.post('/api/v1/delegations', delegationBody());
    return { url: `/api/v1/delegations/${made.json().id}/revoke` };
  },
  'GET /api/v1/notifications': () => ({ url: '/api/v1/notifications' }),
  'GET /api/v1/notifications/unread': () => ({ url: '/api/v1/notifications/unread' }),
  'POST /api/v1/notifications/read': () => ({ url: '/api/v1/notifications/read', body: { all: true } }),
  'GET /api/v1/assessments': () => ({ url: '/api/v1/assessments' }),
  'GET /api/v1/assessments/export.xlsx': () => ({ url: '/api/v1/assessments/export.xlsx' }),
  'POST /api/v1/assessments': (t) => ({
    url: '/api/v1/assessments',
    body: {
      reason: '矩阵测试手工录入',
      judgePersonId: world.leaderPersonId,
      entries: [{ subject: { kind: 'unit', id: t.unitId }, direction: 'debit', points: 1 }],
    },
  }),
  'GET /api/v1/assessments/totals': () => ({ url: `/api/v1/assessments/totals?period=${new Date().getUTCFullYear()}` }),
  'GET /api/v1/assessments/periods': () => ({ url: '/api/v1/assessments/periods' }),
  'POST /api/v1/assessments/periods/:period/close': () => ({ url: '/api/v1/assessments/periods/2020-01/close', body: {} }),
  'POST /api/v1/assessments/periods/:period/reopen': () => ({ url: '/api/v1/assessments/periods/2020-01/reopen', body: { reason: '矩阵测试' } }),
  'GET /api/v1/assessments/:id': async (t, { me }) => ({ url: `/api/v1/assessments/${await proposal(me, t)}` }),
  'POST /api/v1/assessments/:id/actions': async (t, { me }) => ({ url: `/api/v1/assessments/${await proposal(me, t)}/actions`, body: { action: 'confirm' } }),
};

const ROLES = DEFAULT_ROLES.map((r) => r.code);
const PERMS = Object.fromEntries(DEFAULT_ROLES.map((r) => [r.code, new Set<string>(r.permissions)]));

describe('access matrix: every endpoint × role × in-scope / out-of-scope unit', () => {
  let t: TestApp;
  let admin: Client;
  let unitA: number;
  let inside: Target;
  let outside: Target;
  const users: RoleUser[] = [];

  async function makeTarget(parentId: number, marker: string): Promise<Target> {
    const n = next();
    const unitId = await createUnit(admin, parentId, `T${n}`, `${marker}${n}`, 'team');
    const p = await admin.post('/api/v1/people', { name: `${marker}人${n}`, unitId, roleCode: 'staff' });
    const personId = p.json().id;
    const acc = await admin.post('/api/v1/accounts', { personId, username: `u${n}`, password: 'Target1234' });
    const detail = (await admin.get(`/api/v1/people/${personId}`)).json();
    return { unitId, parentId, personId, accountId: acc.json().id, membershipId: detail.memberships[0].id, marker };
  }

  beforeAll(async () => {
    // Logins here are the test's own bookkeeping, not an attack: lift the per-address throttle.
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    admin = await login(t);
    const root = await rootId(t);
    unitA = await createUnit(admin, root, 'A', '甲部');
    const unitB = await createUnit(admin, root, 'B', '乙部');
    inside = await makeTarget(unitA, '甲内');
    outside = await makeTarget(unitB, '乙外');
    for (const role of ROLES) {
      const u = await createUser(t, admin, { unitId: unitA, role, username: `role_${role}` });
      users.push({ role, client: await login(t, `role_${role}`, u.password), password: u.password, accountId: u.accountId, personId: u.personId });
    }
    world.t = t;
    world.unitA = unitA;
    world.leaderPersonId = (users.find((u) => u.role === 'leader') as RoleUser).personId;
    world.senderUnit = await createUnit(admin, root, 'S', '发单部');
    const sd = await createUser(t, admin, { unitId: world.senderUnit, role: 'staff', username: 'sender_drafter' });
    const sl = await createUser(t, admin, { unitId: world.senderUnit, role: 'unit_head', username: 'sender_leader' });
    world.senderDrafter = await login(t, 'sender_drafter', sd.password);
    world.senderLeader = await login(t, 'sender_leader', sl.password);
    world.senderLeaderId = sl.personId;
  }, 120_000);
  afterAll(() => t.close());

  it('has a probe for every route in the route table', () => {
    const keys = t.routes.map((r) => `${r.method} ${r.url}`);
    expect(keys.filter((k) => !PROBES[k])).toEqual([]);
  });

  const send = async (c: Client, method: string, probe: Probe) => {
    if (probe.raw)
      return t.app.inject({
        method: method as 'POST',
        url: probe.url,
        payload: probe.raw.payload,
        headers: { cookie: c.cookie as string, 'x-csrf-token': c.csrf as string, 'content-type': probe.raw.contentType },
      });
    return c.request(method as 'GET', probe.url, method === 'GET' || method === 'DELETE' ? undefined : (probe.body ?? {}));
  };

  const expected = (route: RouteEntry, role: string, inScope: boolean): boolean => {
    const a = route.access;
    if (a.kind === 'public' || a.kind === 'self') return true;
    const has = PERMS[role]?.has(a.permission) ?? false;
    if (a.scope === 'org') return false; // held in A, never at the root
    if (a.scope === 'any') return has;
    return has && inScope;
  };

  it('allows exactly what the role grants inside its subtree, and never shows data outside it', async () => {
    const failures: string[] = [];
    let checked = 0;
    const fresh: Fresh = {
      unit: (tg) => createUnit(admin, tg.parentId, `E${next()}`, `${tg.marker}空`, 'team'),
      async person(tg) {
        const unitId = await createUnit(admin, tg.parentId, `P${next()}`, `${tg.marker}人员单位`, 'team');
        return (await admin.post('/api/v1/people', { name: `${tg.marker}新人`, unitId, roleCode: 'staff' })).json().id;
      },
      target: (tg) => makeTarget(tg.parentId, tg.marker),
    };
    for (const route of t.routes) {
      if (route.access.kind === 'public') continue;
      for (const me of users) {
        for (const [inScope, target] of [
          [true, inside],
          [false, outside],
        ] as const) {
          const probe = await PROBES[`${route.method} ${route.url}`]!(target, { fresh, me });
          const res = await send(me.client, route.method, probe);
          if (route.url === '/api/v1/auth/logout') me.client = await login(t, `role_${me.role}`, me.password);
          const allowed = res.statusCode < 400;
          const want = expected(route, me.role, inScope);
          checked++;
          if (allowed !== want)
            failures.push(`${route.method} ${route.url} as ${me.role} (${inScope ? 'in' : 'out of'} scope): ${res.statusCode} ${res.body.slice(0, 120)}`);
          else if (!allowed && ![403, 404].includes(res.statusCode)) failures.push(`${route.method} ${route.url} as ${me.role}: denied with ${res.statusCode}`);
          else if (
            !inScope &&
            allowed &&
            route.method === 'GET' &&
            !NAMES_THE_OTHER_PARTY.has(`${route.method} ${route.url}`) &&
            res.body.includes(outside.marker)
          )
            failures.push(`${route.method} ${route.url} as ${me.role} leaks out-of-scope data`);
          else if (
            !inScope &&
            !allowed &&
            route.access.kind === 'permission' &&
            route.access.scope === 'unit' &&
            PERMS[me.role]?.has(route.access.permission) &&
            res.statusCode !== 404
          )
            failures.push(`${route.method} ${route.url} as ${me.role}: out-of-scope must answer 404, got ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(ROLES.length * 2 * 30);
  }, 300_000);

  it('shows the policies in force at a unit inside the caller’s subtree only (GET /policies?unitId=, beside the route’s own probe)', async () => {
    const failures: string[] = [];
    for (const me of users) {
      const mayRead = PERMS[me.role]?.has('org.read') ?? false;
      const inside_ = await me.client.get(`/api/v1/policies?unitId=${inside.unitId}`);
      const outside_ = await me.client.get(`/api/v1/policies?unitId=${outside.unitId}`);
      if (inside_.statusCode !== (mayRead ? 200 : 404)) failures.push(`${me.role} inside: ${inside_.statusCode}`);
      if (outside_.statusCode !== 404) failures.push(`${me.role} outside: ${outside_.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('lets a system administrator held at the root do org-wide things that a unit-level one cannot', async () => {
    const unitAdmin = users.find((u) => u.role === 'system_admin') as RoleUser;
    const body = { date: '2026-12-25', kind: 'holiday', name: '厂庆' };
    expect((await unitAdmin.client.put('/api/v1/calendar/overrides', body)).statusCode).toBe(403);
    expect((await admin.put('/api/v1/calendar/overrides', body)).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/units/${outside.unitId}`)).statusCode).toBe(200);
  });
});
