import { afterEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/server/platform/context.js';
import { type Client, createUnit, createUser, login } from '../support/harness.js';
import { act, type LiaisonOrg, liaisonOrg, START } from '../support/liaison-org.js';

/**
 * Issue 9 §8: one install holds a group whose power plant and coal mine keep different rules. A
 * policy overridden for a unit holds there and below; GET /policies?unitId= shows the value in force
 * and where it comes from.
 */
const SIGN = 'contactForm.signWorkingDays';
const LATE = 'assessment.points.contact_form.finished_late';
const SUBSTANDARD = 'assessment.points.contact_form.substandard_late';

interface View {
  key: string;
  value: unknown;
  overridden: boolean;
  scope: string;
  origin: { kind: string; unitId?: number; unitName?: string };
}

interface Group {
  o: LiaisonOrg;
  plant: number;
  mine: number;
  /** 综采队, under the coal mine: drafts forms. */
  team: number;
  /** 机电队, under the coal mine: receives them. */
  electric: number;
  teamDrafter: { personId: number; client: Client };
  teamHead: { personId: number; client: Client };
  mineOffice: { personId: number; client: Client };
}

async function group(): Promise<Group> {
  const o = await liaisonOrg();
  const { admin, t } = o;
  const plant = await createUnit(admin, o.units.root, 'PLANT', '电厂');
  const mine = await createUnit(admin, o.units.root, 'MINE', '煤矿');
  const team = await createUnit(admin, mine, 'ZC', '综采队', 'team');
  const electric = await createUnit(admin, mine, 'JD', '机电队', 'team');
  const make = async (username: string, unitId: number, role: string) => {
    const u = await createUser(t, admin, { unitId, role, username });
    return { personId: u.personId, client: await login(t, username, u.password) };
  };
  return {
    o,
    plant,
    mine,
    team,
    electric,
    teamDrafter: await make('zc_drafter', team, 'staff'),
    teamHead: await make('zc_head', team, 'unit_head'),
    mineOffice: await make('mine_office', mine, 'office'),
  };
}

const at = async (c: Client, unitId: number, key = SIGN): Promise<View> => {
  const r = await c.get(`/api/v1/policies?unitId=${unitId}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json() as View[]).find((p) => p.key === key) as View;
};
const setAt = (c: Client, unitId: number, values: Record<string, unknown>, lang?: 'en') =>
  c.request('PUT', `/api/v1/policies/units/${unitId}`, { values }, lang ? { 'accept-language': lang } : {});

describe('policies per unit: a power plant and a coal mine in one install keep different rules', () => {
  let g: Group;
  afterEach(() => g?.o.t.close());

  it('shows at each unit the value in force and where it comes from, and a case from under the coal mine gets the coal mine’s deadline', async () => {
    g = await group();
    const { o } = g;
    expect((await o.admin.put(`/api/v1/policies/${SIGN}`, { value: 1 })).statusCode).toBe(200);
    const mine = await setAt(o.admin, g.mine, { [SIGN]: 3 });
    expect(mine.statusCode, mine.body).toBe(200);
    expect((mine.json() as View[]).find((p) => p.key === SIGN)).toMatchObject({
      value: 3,
      overridden: true,
      scope: 'unit',
      origin: { kind: 'unit', unitId: g.mine, unitName: '煤矿' },
    });
    expect((await setAt(o.admin, g.plant, { [SIGN]: 2 })).statusCode).toBe(200);

    expect(await at(o.admin, g.team)).toMatchObject({ value: 3, overridden: false, origin: { kind: 'unit', unitId: g.mine, unitName: '煤矿' } });
    expect(await at(o.admin, g.plant)).toMatchObject({ value: 2, overridden: true, origin: { kind: 'unit', unitId: g.plant, unitName: '电厂' } });
    expect(await at(o.admin, o.units.ops)).toMatchObject({ value: 1, overridden: false, origin: { kind: 'organization' } });
    expect(await at(o.admin, g.team, 'contactForm.reviewWorkingDays')).toMatchObject({ value: 2, origin: { kind: 'default' } });
    // The organization's view is the organization's value, whatever the units keep.
    const org = (await o.admin.get('/api/v1/policies')).json() as View[];
    expect(org.find((p) => p.key === SIGN)).toMatchObject({ value: 1, overridden: true, origin: { kind: 'organization' } });
    // A member of the team reads what is in force at their unit.
    expect(await at(g.teamDrafter.client, g.team)).toMatchObject({ value: 3 });

    // Drafted by 综采队 (under the coal mine) on Tuesday 9-29 10:00 and issued at once: 3 working days to sign.
    const c = await g.teamDrafter.client.post('/api/v1/cases', {
      type: 'contact_form',
      initiatorUnitId: g.team,
      fields: {
        title: '综采面机电设备检修配合',
        body: '请机电队配合完成综采面设备检修。',
        dueDate: '2026-10-20',
        receivers: [{ unitId: g.electric, role: 'main' }],
        signingLeaderPersonId: g.teamHead.personId,
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    await act(g.teamDrafter.client, c.json().id, 'submit');
    const issued = await act(g.teamHead.client, c.json().id, 'issue');
    const three = (await o.admin.get(`/api/v1/calendar/deadline?from=${START}&workingDays=3`)).json();
    const one = (await o.admin.get(`/api/v1/calendar/deadline?from=${START}&workingDays=1`)).json();
    expect(three.deadline).not.toBe(one.deadline);
    expect(issued.deadlines.find((d: { clock: string }) => d.clock === 'sign').dueAt).toBe(three.deadline);

    // The ledger takes its amounts from the assessed unit.
    expect((await setAt(o.admin, g.mine, { [LATE]: 1.5 })).statusCode).toBe(200);
    const propose = (subjectUnitId: number) =>
      o.t.services.db.kysely.transaction().execute((tx) =>
        o.t.services.assessments.propose(tx, systemContext(), {
          rule: 'contact_form.finished_late',
          sourceType: 'case',
          sourceId: c.json().id,
          sourcePartId: issued.parts[0].id,
          evidence: issued.number,
          subjectUnitId,
          proposerUnitId: g.team,
          proposerPersonId: null,
          judgePersonId: null,
        }),
      );
    const inMine = await propose(g.electric);
    const elsewhere = await propose(o.units.maint);
    const points = async (id: number) =>
      // Stored in hundredths since the ledger scores exactly (issue 9 §7).
      (await o.t.services.db.kysely.selectFrom('assessment').select('points_centi').where('id', '=', id).executeTakeFirstOrThrow()).points_centi / 100;
    expect(await points(inMine)).toBe(1.5);
    expect(await points(elsewhere)).toBe(1);
  });

  it('lets a unit below override again, and clearing an override inherits from above, each change audited', async () => {
    g = await group();
    const { o } = g;
    expect((await setAt(o.admin, g.mine, { [SIGN]: 3 })).statusCode).toBe(200);
    // The coal mine's office manages its own subtree.
    const team = await setAt(g.mineOffice.client, g.team, { [SIGN]: 5 });
    expect(team.statusCode, team.body).toBe(200);
    expect(await at(o.admin, g.team)).toMatchObject({ value: 5, overridden: true, origin: { kind: 'unit', unitId: g.team, unitName: '综采队' } });
    expect(await at(o.admin, g.electric)).toMatchObject({ value: 3, origin: { kind: 'unit', unitId: g.mine } });

    const cleared = await setAt(g.mineOffice.client, g.team, { [SIGN]: null });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(await at(o.admin, g.team)).toMatchObject({ value: 3, overridden: false, origin: { kind: 'unit', unitId: g.mine, unitName: '煤矿' } });
    expect((await setAt(o.admin, g.mine, { [SIGN]: null })).statusCode).toBe(200);
    expect(await at(o.admin, g.team)).toMatchObject({ value: 1, origin: { kind: 'default' } });

    const audit = (await o.admin.get(`/api/v1/audit?entityType=policy&entityId=${SIGN}`)).json();
    const changes = audit.items.filter((e: { action: string }) => e.action === 'policy.unit_update');
    expect(changes).toHaveLength(4);
    // Clearing what is not set changes nothing and records nothing.
    expect((await setAt(o.admin, g.mine, { [SIGN]: null })).statusCode).toBe(200);
    expect((await o.admin.get(`/api/v1/audit?entityType=policy&entityId=${SIGN}`)).json().items).toHaveLength(audit.items.length);
  });

  it('refuses bad input with the field named, in Chinese and English, and changes nothing', async () => {
    g = await group();
    const { o } = g;
    expect((await setAt(o.admin, g.team, { [LATE]: 1.5 })).statusCode).toBe(200);
    const db = o.t.services.db.kysely;
    const count = async (table: 'audit_event' | 'policy_unit' | 'policy') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = [await count('audit_event'), await count('policy_unit'), await count('policy')];
    const details = async (res: Awaited<ReturnType<Client['put']>>) => {
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error.details;
    };

    // Out of range, by the key's own schema.
    expect(await details(await setAt(o.admin, g.mine, { [SIGN]: 31 }))).toEqual([{ path: `values.${SIGN}`, message: '不能大于 30' }]);
    expect(await details(await setAt(o.admin, g.mine, { [SIGN]: -1 }, 'en'))).toEqual([{ path: `values.${SIGN}`, message: 'must be at least 0' }]);
    // A policy that is install-wide by nature.
    expect(await details(await setAt(o.admin, g.mine, { 'calendar.workdayEnd': '18:00' }))).toEqual([
      { path: 'values.calendar.workdayEnd', message: '只能全单位统一设置，不能按单位设置' },
    ]);
    expect(await details(await setAt(o.admin, g.mine, { 'backup.hour': 3 }, 'en'))).toEqual([
      { path: 'values.backup.hour', message: 'is set for the whole organization only, not per unit' },
    ]);
    expect(await details(await setAt(o.admin, g.mine, { 'no.such': 1 }))).toEqual([{ path: 'values.no.such', message: '不允许的字段' }]);
    // The top unit's values are the organization's.
    expect((await details(await setAt(o.admin, o.units.root, { [SIGN]: 2 })))[0].path).toBe('unitId');
    // A group broken at the unit itself: substandard and late never weighs less than late (1 at the coal mine).
    expect(await details(await setAt(o.admin, g.mine, { [SUBSTANDARD]: 0.5 }))).toEqual([
      { path: `values.${SUBSTANDARD}`, message: `不能小于 ${LATE}（现为 1）` },
    ]);
    expect(await details(await setAt(o.admin, g.mine, { [SUBSTANDARD]: 0.5 }, 'en'))).toEqual([
      { path: `values.${SUBSTANDARD}`, message: `must not be below ${LATE} (now 1)` },
    ]);
    // …and at a unit below with its own override (综采队 keeps late at 1.5), by a unit or by the organization.
    expect(await details(await setAt(o.admin, g.mine, { [SUBSTANDARD]: 1.2 }))).toEqual([
      { path: `values.${SUBSTANDARD}`, message: `与下级单位“综采队”的设置冲突（${LATE} 在该单位为 1.5）` },
    ]);
    expect(await details(await o.admin.request('PUT', `/api/v1/policies/${SUBSTANDARD}`, { value: 1.2 }, { 'accept-language': 'en' }))).toEqual([
      { path: 'value', message: `conflicts with the unit "综采队" below, where ${LATE} is 1.5` },
    ]);
    // All or nothing: one good value with a bad one writes neither.
    expect(await details(await setAt(o.admin, g.mine, { [SIGN]: 2, [SUBSTANDARD]: 1.2 }))).toHaveLength(1);
    // Unknown unit, a unit outside the caller's subtree, and no permission.
    expect((await setAt(o.admin, 2_000_000, { [SIGN]: 2 })).statusCode).toBe(404);
    expect((await o.admin.get('/api/v1/policies?unitId=2000000')).statusCode).toBe(404);
    expect((await setAt(g.mineOffice.client, g.plant, { [SIGN]: 2 })).statusCode).toBe(404);
    expect((await g.teamDrafter.client.get(`/api/v1/policies?unitId=${g.plant}`)).statusCode).toBe(404);
    expect((await setAt(g.teamDrafter.client, g.team, { [SIGN]: 2 })).statusCode).toBe(403);

    expect([await count('audit_event'), await count('policy_unit'), await count('policy')]).toEqual(before);
    expect(await at(o.admin, g.mine, SUBSTANDARD)).toMatchObject({ value: 2, origin: { kind: 'default' } });
    // Moving both in one step is fine where it holds everywhere below.
    expect((await setAt(o.admin, g.mine, { [LATE]: 1.2, [SUBSTANDARD]: 1.6 })).statusCode).toBe(200);
    expect(await at(o.admin, g.team, SUBSTANDARD)).toMatchObject({ value: 1.6, origin: { kind: 'unit', unitId: g.mine } });
  });
});
