import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dismissalEntries } from '../../src/server/modules/assessment/index.js';
import { systemContext } from '../../src/server/platform/context.js';
import { type Client, createUser, login } from '../support/harness.js';
import { type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * The ledger scores (issue 9 §7): credits and debits in points and money against units and persons;
 * one event fans out into several entries in one transaction; the office enters events by hand,
 * with a reason, inside its scope; months close and reopen, on the record; totals and the export.
 * The clock starts on 2026-09-29 (Asia/Shanghai), so entries fall in 2026-09.
 */
describe('the ledger', () => {
  let o: LiaisonOrg;
  /** An office held in 检修部 only: its scope is that unit's subtree. */
  let unitOffice: Client;
  beforeAll(async () => {
    o = await liaisonOrg();
    const u = await createUser(o.t, o.admin, { unitId: o.units.maint, role: 'office', username: 'maintoffice', name: '检修办事员' });
    unitOffice = await login(o.t, 'maintoffice', u.password);
  }, 120_000);
  afterAll(() => o?.t.close());

  const k = () => o.t.services.db.kysely;
  const counts = async () => {
    const a = await k().selectFrom('assessment').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const e = await k().selectFrom('assessment_event').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const au = await k().selectFrom('audit_event').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return { entries: Number(a.n), events: Number(e.n), audit: Number(au.n) };
  };
  const manual = (over: Record<string, unknown> = {}) => ({
    reason: '信息质量好，酌情加分',
    judgePersonId: o.people.leader.personId,
    entries: [{ subject: { kind: 'unit', id: o.units.maint }, direction: 'credit', points: 2 }],
    ...over,
  });

  it('fans a liaison officer’s dismissal out into three entries of one event, in one transaction, each audited (seed 2)', async () => {
    const before = await counts();
    const { eventId, ids } = await k()
      .transaction()
      .execute((tx) =>
        o.t.services.assessments.fanOut(tx, systemContext(), {
          kind: 'liaison_officer.dismissal',
          sourceType: 'liaison_officer',
          sourceId: 42,
          evidence: '联络员解聘决定 2026-09',
          reason: '散布虚假信息，予以解聘',
          proposerUnitId: o.units.root,
          proposerPersonId: o.people.office.personId,
          judgePersonId: o.people.leader.personId,
          entries: dismissalEntries({ officerPersonId: o.people.worker.personId, unitId: o.units.maint, unitHeadPersonId: o.people.receiver.personId }),
        }),
      );
    expect(ids).toHaveLength(3);
    const list = (await o.people.office.client.get('/api/v1/assessments?period=2026-09&pageSize=100')).json().items;
    const mine = list.filter((a: { eventId: number | null }) => a.eventId === eventId);
    const shape = mine
      .map(
        (a: {
          rule: string;
          subjectUnit: { name: string } | null;
          subjectPerson: { name: string } | null;
          direction: string;
          points: number;
          money: number;
          period: string;
        }) => [a.rule, a.subjectPerson?.name ?? a.subjectUnit?.name, a.direction, a.points, a.money, a.period],
      )
      .sort();
    expect(shape).toEqual([
      ['liaison_officer.dismissal.allowance', '赵师傅', 'debit', 0, 1000, '2026-09'],
      ['liaison_officer.dismissal.unit', '检修部', 'debit', 1, 0, '2026-09'],
      ['liaison_officer.dismissal.unit_head', '王检修', 'debit', 0, 200, '2026-09'],
    ]);
    const after = await counts();
    expect(after).toEqual({ entries: before.entries + 3, events: before.events + 1, audit: before.audit + 3 });
    const audit = (await o.admin.get('/api/v1/audit?action=assessment.propose&pageSize=100')).json().items;
    expect(audit.filter((e: { after: { eventId?: number } }) => e.after?.eventId === eventId)).toHaveLength(3);
    // The fined unit head sees his own entry (a subject is a person): he may appeal once it is confirmed.
    const head = (await o.people.receiver.client.get('/api/v1/assessments?pageSize=100')).json().items;
    expect(head.some((a: { rule: string }) => a.rule === 'liaison_officer.dismissal.unit_head')).toBe(true);
  });

  it('writes nothing of an event when one of its entries fails', async () => {
    const before = await counts();
    await expect(
      k()
        .transaction()
        .execute((tx) =>
          o.t.services.assessments.fanOut(tx, systemContext(), {
            kind: 'liaison_officer.dismissal',
            sourceType: 'liaison_officer',
            sourceId: 43,
            evidence: 'x',
            reason: '解聘',
            proposerUnitId: null,
            proposerPersonId: null,
            judgePersonId: null,
            entries: [
              { rule: 'liaison_officer.dismissal.unit', subject: { kind: 'unit', id: o.units.maint }, scopeUnitId: o.units.maint },
              { rule: 'no.such.rule', subject: { kind: 'unit', id: o.units.maint }, scopeUnitId: o.units.maint },
            ],
          }),
        ),
    ).rejects.toThrow(/unknown assessment rule/);
    expect(await counts()).toEqual(before);
  });

  it('lets the office enter an event by hand with a reason — credit and debit, points and money, unit and person — and the entry is appealable like a proposal', async () => {
    const res = await o.people.office.client.post(
      '/api/v1/assessments',
      manual({
        evidence: '九月联络员例会纪要',
        entries: [
          { subject: { kind: 'unit', id: o.units.maint }, direction: 'credit', points: 2.5 },
          { subject: { kind: 'person', id: o.people.worker.personId }, direction: 'debit', points: 1, money: 50.5, reason: '上报信息不实' },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
    const { eventId, entries } = res.json();
    expect(entries.map((e: { eventId: number }) => e.eventId)).toEqual([eventId, eventId]);
    expect(
      entries.map((e: { direction: string; points: number; money: number; reason: string; state: string; rule: string }) => [
        e.rule,
        e.direction,
        e.points,
        e.money,
        e.reason,
        e.state,
      ]),
    ).toEqual([
      ['manual', 'credit', 2.5, 0, '信息质量好，酌情加分', 'proposed'],
      ['manual', 'debit', 1, 50.5, '上报信息不实', 'proposed'],
    ]);
    // Stored exactly: hundredths of a point and fen.
    const stored = await k().selectFrom('assessment').select(['points_centi', 'money_fen']).where('event_id', '=', eventId).orderBy('id').execute();
    expect(stored).toEqual([
      { points_centi: 250, money_fen: 0 },
      { points_centi: 100, money_fen: 5050 },
    ]);
    const person = entries[1];
    expect(person.actions).toEqual(['confirm', 'drop']);
    // Others holding a role at the root (HR) read it but do not propose it.
    expect((await o.people.hr.client.get(`/api/v1/assessments/${person.id}`)).json().actions).toEqual([]);
    expect((await o.people.hr.client.post(`/api/v1/assessments/${person.id}/actions`, { action: 'confirm' })).statusCode).toBe(403);
    const confirmed = await o.people.office.client.post(`/api/v1/assessments/${person.id}/actions`, { action: 'confirm' });
    expect(confirmed.json().state).toBe('confirmed');
    // The person assessed appeals; the judge named rules.
    const appealed = await o.people.worker.client.post(`/api/v1/assessments/${person.id}/actions`, { action: 'appeal', reason: '信息经核实属实' });
    expect(appealed.json().state).toBe('appealed');
    const ruled = await o.people.leader.client.post(`/api/v1/assessments/${person.id}/actions`, {
      action: 'rule',
      ruling: 'reduced',
      reason: '部分属实',
      points: 0.5,
      money: 20,
    });
    expect([ruled.json().state, ruled.json().points, ruled.json().money]).toEqual(['final', 0.5, 20]);
    const audit = (await o.admin.get('/api/v1/audit?action=assessment.enter&pageSize=100')).json().items;
    expect(audit.filter((e: { after: { eventId?: number } }) => e.after?.eventId === eventId)).toHaveLength(2);
  });

  describe('refuses bad input, in zh-CN and English, and changes nothing', () => {
    const refused = async (c: Client, body: unknown, status: number, path?: string) => {
      const before = await counts();
      for (const lang of ['zh-CN', 'en'] as const) {
        const res = await c.request('POST', '/api/v1/assessments', body, { 'accept-language': lang });
        expect(res.statusCode, res.body).toBe(status);
        const err = res.json().error;
        if (path) expect(err.details.map((d: { path: string }) => d.path)).toContain(path);
        expect(err.message).toMatch(lang === 'en' ? /^[\x20-\x7e]+$/ : /[\u4e00-\u9fff]/);
        expect(res.body).not.toMatch(/select|insert|at .*\.ts/i);
      }
      expect(await counts()).toEqual(before);
    };

    it('a manual entry without a reason', async () => {
      const { reason: _, ...noReason } = manual();
      await refused(o.people.office.client, noReason, 400, 'reason');
      await refused(o.people.office.client, manual({ reason: ' ' }), 400, 'reason');
    });
    it('zero amounts, negative or absurd ones, and a third decimal', async () => {
      const entry = (over: Record<string, unknown>) => manual({ entries: [{ subject: { kind: 'unit', id: o.units.maint }, direction: 'debit', ...over }] });
      await refused(o.people.office.client, entry({}), 400, 'entries.0.points');
      await refused(o.people.office.client, entry({ points: 0, money: 0 }), 400, 'entries.0.points');
      await refused(o.people.office.client, entry({ points: -1 }), 400, 'entries.0.points');
      await refused(o.people.office.client, entry({ points: 101 }), 400, 'entries.0.points');
      await refused(o.people.office.client, entry({ money: 100_000.01 }), 400, 'entries.0.money');
      await refused(o.people.office.client, entry({ money: 1.005 }), 400, 'entries.0.money');
      await refused(o.people.office.client, manual({ entries: [] }), 400, 'entries');
    });
    it('an unknown subject, an unknown judge, a month not begun', async () => {
      await refused(o.people.office.client, manual({ entries: [{ subject: { kind: 'unit', id: 999_999 }, direction: 'debit', points: 1 }] }), 404);
      await refused(o.people.office.client, manual({ entries: [{ subject: { kind: 'person', id: 999_999 }, direction: 'debit', points: 1 }] }), 404);
      await refused(o.people.office.client, manual({ judgePersonId: 999_999 }), 400, 'judgePersonId');
      await refused(o.people.office.client, manual({ period: '2026-10' }), 400, 'period');
    });
    it('a subject outside the office’s scope, as unit or as person, and anyone without assessment.manage', async () => {
      const outside = [{ subject: { kind: 'unit', id: o.units.ops }, direction: 'debit', points: 1 }];
      await refused(unitOffice, manual({ entries: outside }), 404);
      await refused(unitOffice, manual({ entries: [{ subject: { kind: 'person', id: o.people.drafter.personId }, direction: 'debit', money: 10 }] }), 404);
      // One subject outside spoils the event: none of it is written.
      await refused(unitOffice, manual({ entries: [{ subject: { kind: 'unit', id: o.units.maint }, direction: 'debit', points: 1 }, ...outside] }), 404);
      await refused(o.people.hr.client, manual(), 403);
      // Inside its scope the unit's office may.
      expect((await unitOffice.post('/api/v1/assessments', manual())).statusCode).toBe(201);
    });
  });

  describe('periods', () => {
    it('closes only a month that has ended; a closed month takes no entry, change or ruling until it is reopened with a reason, all on the record', async () => {
      const office = o.people.office.client;
      const early = await office.post('/api/v1/assessments/periods/2026-09/close', {});
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe('PERIOD_NOT_ENDED');
      const pending = (await office.post('/api/v1/assessments', manual())).json().entries[0];

      o.clock.set('2026-10-08T02:00:00.000Z');
      const months = (await o.people.hr.client.get('/api/v1/assessments/periods?year=2026')).json().items;
      expect(months).toHaveLength(12);
      expect(months.find((m: { period: string }) => m.period === '2026-09')).toMatchObject({ state: 'open', canClose: true });
      expect(months.find((m: { period: string }) => m.period === '2026-10')).toMatchObject({ state: 'open', canClose: false });
      // Only the office at the root closes: a unit's office and HR may not.
      expect((await unitOffice.post('/api/v1/assessments/periods/2026-09/close', {})).statusCode).toBe(403);
      expect((await o.people.hr.client.post('/api/v1/assessments/periods/2026-09/close', {})).statusCode).toBe(403);
      const closed = await office.post('/api/v1/assessments/periods/2026-09/close', {});
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({ period: '2026-09', state: 'closed', stateLabel: '已结账' });
      expect((await office.post('/api/v1/assessments/periods/2026-09/close', {})).json().error.code).toBe('PERIOD_CLOSED');

      const before = await counts();
      for (const lang of ['zh-CN', 'en']) {
        const entry = await office.request('POST', '/api/v1/assessments', manual({ period: '2026-09' }), { 'accept-language': lang });
        expect(entry.statusCode).toBe(409);
        expect(entry.json().error.message).toContain('2026-09');
        const act = await office.request('POST', `/api/v1/assessments/${pending.id}/actions`, { action: 'confirm' }, { 'accept-language': lang });
        expect(act.statusCode).toBe(409);
        expect(act.json().error.code).toBe('PERIOD_CLOSED');
      }
      expect(await counts()).toEqual(before);
      expect((await office.get(`/api/v1/assessments/${pending.id}`)).json().state).toBe('proposed');
      // The next month takes entries as usual.
      expect((await office.post('/api/v1/assessments', manual())).json().entries[0].period).toBe('2026-10');

      const noReason = await office.post('/api/v1/assessments/periods/2026-09/reopen', {});
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().error.details[0].path).toBe('reason');
      expect((await office.post('/api/v1/assessments/periods/2026-08/reopen', { reason: '补录' })).json().error.code).toBe('PERIOD_NOT_CLOSED');
      const reopened = await office.post('/api/v1/assessments/periods/2026-09/reopen', { reason: '补录九月例会考核' });
      expect(reopened.json()).toMatchObject({ state: 'open', reopenReason: '补录九月例会考核' });
      expect((await office.post(`/api/v1/assessments/${pending.id}/actions`, { action: 'confirm' })).json().state).toBe('confirmed');
      expect((await office.post('/api/v1/assessments', manual({ period: '2026-09' }))).statusCode).toBe(201);

      const trail = (await o.admin.get('/api/v1/audit?entityType=assessment_period&pageSize=100')).json().items;
      const actions = trail.map((e: { action: string }) => e.action).sort();
      expect(actions).toEqual(['assessment.period_close', 'assessment.period_reopen']);
      expect(trail.find((e: { action: string }) => e.action === 'assessment.period_reopen').after.reopen_reason).toBe('补录九月例会考核');
    });

    it('sums each subject’s final entries, signed, per month, quarter and year, with open ones apart, and exports them', async () => {
      const office = o.people.office.client;
      // A fresh unit so the sums are this test's alone.
      const unit = (await o.admin.post('/api/v1/units', { parentId: o.units.root, code: 'SUMS', name: '汇总队', typeCode: 'team' })).json().id;
      const body = (direction: string, points: number, money: number) =>
        manual({ period: '2026-09', entries: [{ subject: { kind: 'unit', id: unit }, direction, points, money }] });
      const ids: number[] = [];
      for (const [d, p, m] of [
        ['credit', 3, 100],
        ['debit', 1.25, 0.1],
        ['debit', 2, 0.2],
      ] as const)
        ids.push((await office.post('/api/v1/assessments', body(d, p, m))).json().entries[0].id);
      // Two become final, the third stays open.
      for (const id of ids.slice(0, 2)) {
        await office.post(`/api/v1/assessments/${id}/actions`, { action: 'confirm' });
        expect((await o.people.leader.client.post(`/api/v1/assessments/${id}/actions`, { action: 'approve' })).json().state).toBe('final');
      }
      const totals = async (period: string) => {
        const r = (await o.people.hr.client.get(`/api/v1/assessments/totals?period=${period}`)).json();
        return r.items.find((t: { subjectName: string }) => t.subjectName === '汇总队');
      };
      const want = { subjectKind: 'unit', subjectId: unit, points: 1.75, money: 99.9, pendingPoints: -2, pendingMoney: -0.2, entries: 3 };
      expect(await totals('2026-09')).toMatchObject(want);
      expect(await totals('2026-Q3')).toMatchObject(want);
      expect(await totals('2026')).toMatchObject(want);
      expect(await totals('2026-Q4')).toBeUndefined();

      const xlsx = await o.people.hr.client.get('/api/v1/assessments/export.xlsx?period=2026-Q3');
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('期间汇总');
      expect(sheet).toBeDefined();
      const rows: unknown[][] = [];
      sheet?.eachRow((r, n) => {
        if (n > 1) rows.push((r.values as unknown[]).slice(1));
      });
      expect(rows.find((r) => r[2] === '汇总队')).toEqual(['2026-Q3', '单位', '汇总队', 1.75, 99.9, -2, -0.2, 3]);
    });
  });
});
