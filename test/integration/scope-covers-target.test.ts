import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

/**
 * Issue 8, security 1, generated from the route table: every route that manages people or
 * accounts × a target who also holds a grant outside the caller's scope (a role at the root, a
 * membership in a sibling unit, a stronger role inside the scope) → refused, nothing changes. The
 * same probe against a target inside the scope succeeds, so a probe that cannot succeed cannot hide
 * a hole. A new route in this family without a probe fails the test.
 */

const MANAGES = (method: string, url: string) =>
  (method !== 'GET' || /^\/api\/v1\/accounts\/:id\//.test(url)) &&
  /^\/api\/v1\/(people|memberships|accounts)(\/|$)/.test(url) &&
  url !== '/api/v1/accounts/candidates';

interface Target {
  personId: number;
  accountId: number;
  /** The target's membership inside the caller's scope (unit T under A). */
  membershipId: number;
  tokenId: number;
}
type Probe = (t: Target) => Promise<{ url: string; body?: unknown }> | { url: string; body?: unknown };

let seq = 0;
const n = () => ++seq;

describe('scope covers the whole target: every person and account operation', () => {
  let t: TestApp;
  let admin: Client;
  let unitA: number;
  let unitT: number;
  let unitB: number;
  let root: number;
  const callers: { role: string; client: Client }[] = [];

  /** A person with a staff membership in T (inside A) and an account with a live token, plus `extra`. */
  async function target(extra: ((personId: number) => Promise<void>) | null, withAccount = true): Promise<Target> {
    const i = n();
    const p = (await admin.post('/api/v1/people', { name: `目标${i}`, unitId: unitT, roleCode: 'staff', employeeNo: `T${i}` })).json();
    if (extra) await extra(p.id);
    const detail = (await admin.get(`/api/v1/people/${p.id}`)).json();
    const membershipId = detail.memberships.find((m: { unitId: number }) => m.unitId === unitT).id;
    if (!withAccount) return { personId: p.id, accountId: 0, membershipId, tokenId: 0 };
    const username = `target${i}`;
    const acc = (await admin.post('/api/v1/accounts', { personId: p.id, username, password: 'Temp12345x' })).json();
    const tokenId = (
      await t.services.db.kysely
        .insertInto('api_token')
        .values({
          account_id: acc.id,
          name: 'x',
          token_hash: `h${i}`,
          prefix: 'lia_x',
          created_at: new Date().toISOString(),
          last_used_at: null,
          revoked_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    return { personId: p.id, accountId: acc.id, membershipId, tokenId };
  }

  const PROBES: Record<string, Probe> = {
    'PATCH /api/v1/people/:id': (x) => ({ url: `/api/v1/people/${x.personId}`, body: { post: `岗${n()}` } }),
    'POST /api/v1/people': (x) => ({ url: '/api/v1/people', body: { name: `新${x.personId}`, unitId: unitT, roleCode: 'staff' } }),
    'POST /api/v1/memberships': (x) => ({ url: '/api/v1/memberships', body: { personId: x.personId, unitId: unitT, roleCode: 'team_leader' } }),
    'DELETE /api/v1/memberships/:id': (x) => ({ url: `/api/v1/memberships/${x.membershipId}` }),
    'POST /api/v1/accounts': async () => ({ url: '/api/v1/accounts', body: { personId: -1, username: `x${n()}`, password: 'Account123' } }),
    'PATCH /api/v1/accounts/:id': (x) => ({ url: `/api/v1/accounts/${x.accountId}`, body: { password: 'Reset12345' } }),
    'POST /api/v1/accounts/bulk': () => ({ url: '/api/v1/accounts/bulk', body: { personIds: [-1] } }),
    'GET /api/v1/accounts/:id/tokens': (x) => ({ url: `/api/v1/accounts/${x.accountId}/tokens` }),
    'DELETE /api/v1/accounts/:id/tokens/:tokenId': (x) => ({ url: `/api/v1/accounts/${x.accountId}/tokens/${x.tokenId}` }),
  };
  /** Probes that act on a person without an account: the target is made without one. */
  const NEEDS_NO_ACCOUNT = new Set(['POST /api/v1/accounts', 'POST /api/v1/accounts/bulk']);
  /** Creating a person makes a new one: there is no existing target to cover. */
  const CREATES = new Set(['POST /api/v1/people']);

  async function withProbe(key: string, x: Target) {
    const probe = await PROBES[key]!(x);
    const body = probe.body as Record<string, unknown> | undefined;
    if (body && body.personId === -1) body.personId = x.personId;
    if (body && Array.isArray(body.personIds)) body.personIds = [x.personId];
    return probe;
  }

  const snapshot = async () => {
    const k = t.services.db.kysely;
    return JSON.stringify(
      await Promise.all([
        k.selectFrom('person').selectAll().orderBy('id').execute(),
        k.selectFrom('membership').selectAll().orderBy('id').execute(),
        k.selectFrom('account').selectAll().orderBy('id').execute(),
        k.selectFrom('api_token').selectAll().orderBy('id').execute(),
        k
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll().as('n'))
          .execute(),
      ]),
    );
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    admin = await login(t);
    root = await rootId(t);
    unitA = await createUnit(admin, root, 'A', '甲部');
    unitT = await createUnit(admin, unitA, 'T', '甲部一班', 'team');
    unitB = await createUnit(admin, root, 'B', '乙部');
    // Unit-scoped managers: the office (people + accounts) and HR (people) of A.
    for (const role of ['office', 'hr']) {
      const u = await createUser(t, admin, { unitId: unitA, role, username: `mgr_${role}` });
      callers.push({ role, client: await login(t, `mgr_${role}`, u.password) });
    }
  }, 60_000);
  afterAll(() => t.close());

  const member = (unitId: () => number, roleCode: string) => async (personId: number) => {
    const r = await admin.post('/api/v1/memberships', { personId, unitId: unitId(), roleCode });
    if (r.statusCode !== 200) throw new Error(r.body);
  };
  const OUTSIDE: [string, (personId: number) => Promise<void>][] = [
    ['also holds the office role at the root', member(() => root, 'office')],
    ['also is staff in the sibling unit B', member(() => unitB, 'staff')],
    ['also is system administrator inside the scope', member(() => unitT, 'system_admin')],
  ];

  it('has a probe for every route that manages people or accounts', () => {
    const family = t.routes.filter((r) => MANAGES(r.method, r.url)).map((r) => `${r.method} ${r.url}`);
    expect(family.filter((k) => !PROBES[k])).toEqual([]);
    expect(family.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses each of them, changing nothing, for a target not wholly inside the caller’s scope, and allows it for one inside', async () => {
    const failures: string[] = [];
    const family = t.routes.filter((r) => MANAGES(r.method, r.url) && !CREATES.has(`${r.method} ${r.url}`));
    for (const route of family) {
      const key = `${route.method} ${route.url}`;
      const perm = route.url.startsWith('/api/v1/accounts') ? 'account.manage' : 'people.manage';
      for (const caller of callers) {
        if (perm === 'account.manage' && caller.role === 'hr') continue;
        for (const [what, extra] of OUTSIDE) {
          const x = await target(extra, !NEEDS_NO_ACCOUNT.has(key));
          const probe = await withProbe(key, x);
          const before = await snapshot();
          const res = await caller.client.request(
            route.method as 'GET',
            probe.url,
            route.method === 'GET' || route.method === 'DELETE' ? undefined : probe.body,
          );
          if (![403, 404].includes(res.statusCode)) failures.push(`${key} as ${caller.role}, target ${what}: ${res.statusCode} ${res.body.slice(0, 100)}`);
          else if ((await snapshot()) !== before) failures.push(`${key} as ${caller.role}, target ${what}: refused but changed data`);
        }
        const inside = await target(null, !NEEDS_NO_ACCOUNT.has(key));
        const res = await caller.client.request(
          route.method as 'GET',
          (await withProbe(key, inside)).url,
          route.method === 'GET' || route.method === 'DELETE' ? undefined : (await withProbe(key, inside)).body,
        );
        if (res.statusCode >= 400) failures.push(`${key} as ${caller.role}, target inside: ${res.statusCode} ${res.body.slice(0, 100)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 240_000);

  it('lets the organization-wide administrator do all of it', async () => {
    const x = await target(member(() => root, 'office'));
    expect((await admin.patch(`/api/v1/accounts/${x.accountId}`, { password: 'Reset12345' })).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/people/${x.personId}`, { post: '主任' })).statusCode).toBe(200);
  });
});
