import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FORMS, DemoRefusedError, type DemoResult, loadDemo } from '../../src/server/modules/demo/index.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { type Client, login, startTestApp, type TestApp } from '../support/harness.js';

describe('npm run demo: a realistic organization loaded into an empty database', () => {
  let t: TestApp;
  let demo: DemoResult;
  let admin: Client;
  const clock = new ManualClock(new Date());
  const loggedIn = new Map<string, Client>();
  /** What /auth/me said right after the first login with the printed password, before the forced change. */
  const firstMe = new Map<string, { mustChangePassword: boolean; name: string; todoStatus: number }>();
  /** Logs in with the printed one-time password and, as the UI makes every new user do, chooses a new one. */
  const as = async (username: string) => {
    let c = loggedIn.get(username);
    if (!c) {
      const printed = demo.logins.find((l) => l.username === username)?.password as string;
      c = await login(t, username, printed);
      const todoStatus = (await c.get('/api/v1/cases?tab=todo')).statusCode;
      firstMe.set(username, { ...(await c.get('/api/v1/auth/me')).json(), todoStatus });
      const changed = await c.post('/api/v1/auth/password', { currentPassword: printed, newPassword: `${printed}Own1` });
      if (changed.statusCode !== 200) throw new Error(`change password ${username}: ${changed.statusCode} ${changed.body}`);
      loggedIn.set(username, c);
    }
    return c;
  };
  const formOf = (key: string) => {
    const f = demo.forms.find((x) => x.key === key);
    if (!f) throw new Error(`no demo form ${key}`);
    return f;
  };
  const count = async (table: 'unit' | 'person' | 'account' | 'audit_event' | 'case_record' | 'session') =>
    Number(
      (
        await t.services.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startTestApp({ clock, setup: false, env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    const started = performance.now();
    demo = await loadDemo(t.services, { clock });
    console.log(
      `[demo] ${demo.units} units, ${demo.people} people, ${demo.forms.length} forms loaded in ${((performance.now() - started) / 1000).toFixed(2)} s`,
    );
    admin = await as('admin');
  });
  afterAll(() => t.close());

  it('creates a group with a power plant, a coal mine and a power-supply company, a few hundred people, all on record', async () => {
    expect(await count('unit')).toBe(demo.units);
    expect(await count('person')).toBe(demo.people);
    expect(demo.people).toBeGreaterThanOrEqual(200);
    expect(demo.people).toBeLessThanOrEqual(600);
    const names = (await admin.get('/api/v1/units')).json().map((u: { name: string }) => u.name);
    for (const n of ['华岳能源集团', '华岳热电厂', '发电部', '运行一值', '运行五值', '一值汽机班', '安全生产部', '华岳青山煤矿', '华岳供电公司'])
      expect(names).toContain(n);
    // Seed 2: the manager-liaison-officer units of the coal mine.
    for (const n of ['综采队', '综掘队', '开拓队', '机电队', '选运队', '运输队', '通灭队', '服务队', '产品管理科', '机关']) expect(names).toContain(n);
    // Article 8: the power-supply company's departments.
    for (const n of ['办公室', '人力资源部', '监察部', '调控中心', '营销部']) expect(names).toContain(n);
    expect(await count('audit_event')).toBeGreaterThan(demo.units + demo.people);
    expect((await admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
    expect((await admin.get('/api/v1/audit?action=org.demo_load')).json().total).toBe(1);
  });

  it('prints logins with fresh random one-time passwords that work, each to be changed at first login (issue 8)', async () => {
    expect(demo.logins.map((l) => l.username)).toEqual([
      'admin',
      'office',
      'leader',
      'unithead',
      'shiftlead',
      'teamlead',
      'worker',
      'hr',
      'specialist',
      'equipment',
      'inspector',
      'safetyhead',
    ]);
    expect(new Set(demo.logins.map((l) => l.password)).size).toBe(demo.logins.length);
    for (const l of demo.logins) {
      expect(l.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{12,}$/);
      const c = await as(l.username);
      // The printed password let them in, with nothing but the password change open to them.
      expect([l.username, firstMe.get(l.username)?.mustChangePassword, firstMe.get(l.username)?.todoStatus]).toEqual([l.username, true, 403]);
      expect(firstMe.get(l.username)?.name).toBe(l.name);
      const me = (await c.get('/api/v1/auth/me')).json();
      expect(me.mustChangePassword).toBe(false);
    }
    const grants = async (username: string) => {
      return (await (await as(username)).get('/api/v1/auth/me')).json().grants.map((g: { role: string; unitName: string }) => `${g.role}@${g.unitName}`);
    };
    expect(await grants('office')).toContain('office@华岳能源集团');
    expect(await grants('hr')).toContain('hr@华岳能源集团');
    expect(await grants('shiftlead')).toEqual(['shift_leader@运行一值']);
  });

  it('gives a worker the reporting chain 班长 → 值长 → 部门负责人 → 分管领导', async () => {
    const worker = demo.logins.find((l) => l.username === 'worker');
    const found = (await admin.get(`/api/v1/people?q=${encodeURIComponent(worker?.name ?? '')}`)).json().items[0];
    const detail = (await admin.get(`/api/v1/people/${found.id}`)).json();
    const nameOf = (u: string) => demo.logins.find((l) => l.username === u)?.name;
    expect(detail.reportingChain.map((c: { roleCode: string; name: string; unitName: string }) => [c.roleCode, c.name, c.unitName])).toEqual([
      ['team_leader', nameOf('teamlead'), '一值汽机班'],
      ['shift_leader', nameOf('shiftlead'), '运行一值'],
      ['unit_head', nameOf('unithead'), '发电部'],
      ['leader', nameOf('leader'), '华岳热电厂'],
    ]);
  });

  it('puts women in 机电队 and 选运队 (seed 2 requires one woman among their liaison officers)', async () => {
    for (const name of ['机电队', '选运队']) {
      const unit = (await admin.get('/api/v1/units')).json().find((u: { name: string }) => u.name === name);
      const people = (await admin.get(`/api/v1/people?unitId=${unit.id}&pageSize=200`)).json().items;
      expect(people.some((p: { gender: string }) => p.gender === 'female')).toBe(true);
    }
  });

  it('exports the demo organization and re-imports it without a change', async () => {
    const res = await admin.get('/api/v1/org/export');
    const boundary = `----demo${randomBytes(6).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="demo.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      res.rawPayload,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/org/import?dryRun=1',
      payload,
      headers: { cookie: admin.cookie as string, 'x-csrf-token': admin.csrf as string, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      units: { created: 0, updated: 0, unchanged: demo.units },
      people: { created: 0, updated: 0, unchanged: demo.people },
    });
  });

  it('writes work contact forms in varied states through the cases service, as the demo people', async () => {
    expect(demo.forms.map((f) => f.key)).toEqual(DEMO_FORMS.map((f) => f.key));
    expect(await count('case_record')).toBe(demo.forms.length);
    const detail = async (key: string) => (await admin.get(`/api/v1/cases/${formOf(key).id}`)).json();
    const expected: Record<string, [string, string]> = {
      draft: ['draft', 'pending'],
      pending_issue: ['pending_issue', 'pending'],
      awaiting_sign: ['issued', 'awaiting_sign'],
      overdue: ['issued', 'awaiting_sign'],
      in_progress: ['issued', 'in_progress'],
      replied: ['issued', 'replied'],
      closed: ['closed', 'closed'],
    };
    for (const f of demo.forms) {
      const d = await detail(f.key);
      expect([f.key, d.type, d.state, d.parts.map((p: { state: string }) => p.state)]).toEqual([
        f.key,
        'contact_form',
        expected[f.key]?.[0],
        [expected[f.key]?.[1]],
      ]);
      expect(d.number).toBe(f.number);
      expect(d.title).toBe(f.title);
      // Only the form left past its sign-or-object deadline is overdue.
      expect([f.key, d.parts[0].overdue]).toEqual([f.key, f.key === 'overdue']);
      expect(d.initiatorUnit.name).toBe(f.key === 'in_progress' ? '安全生产部' : '发电部');
    }
    const nameOf = (u: string) => demo.logins.find((l) => l.username === u)?.name;
    expect((await detail('in_progress')).parts[0].handler.name).toBe(nameOf('specialist'));
    expect((await detail('replied')).parts[0].handler.name).toBe(nameOf('inspector'));
    expect((await detail('closed')).closedAt).not.toBeNull();

    // Every step was the service's: one audit event per create and action, by the person who acted.
    const events = await t.services.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'actor_name', 'entity_id'])
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(formOf('closed').id))
      .orderBy('seq')
      .execute();
    expect(events.map((e) => [e.action, e.actor_name])).toEqual([
      ['case.create', nameOf('specialist')],
      ['case.submit', nameOf('specialist')],
      ['case.issue', nameOf('unithead')],
      ['case.sign', nameOf('equipment')],
      ['case.reply', nameOf('inspector')],
      ['case.accept', nameOf('specialist')],
    ]);
    // The demo people signed in to act and signed out again: the only sessions are this test's (made at the end of the demo's clock).
    const earlier = await t.services.db.kysely.selectFrom('session').select('created_at').where('created_at', '<', clock.now().toISOString()).execute();
    expect(earlier).toEqual([]);
    expect((await admin.get('/api/v1/audit?action=auth.logout')).json().total).toBe(
      (await admin.get('/api/v1/audit?action=auth.login')).json().total - (await count('session')),
    );
  });

  it('leaves one form past its sign-or-object deadline, swept as the server would, with its assessment proposal', async () => {
    const overdue = formOf('overdue');
    const d = (await admin.get(`/api/v1/cases/${overdue.id}`)).json();
    const sign = d.deadlines.find((c: { clock: string }) => c.clock === 'sign');
    expect(sign.state).toBe('fired');
    expect(Date.parse(sign.dueAt)).toBeLessThan(clock.now().getTime());
    // Issued a few working days ago, not weeks.
    expect(clock.now().getTime() - Date.parse(sign.startedAt)).toBeLessThan(20 * 24 * 3_600_000);
    const proposals = await t.services.db.kysely
      .selectFrom('assessment')
      .select(['rule', 'source_id', 'subject_unit_id'])
      .where('source_type', '=', 'case')
      .execute();
    expect(proposals.map((p) => [p.rule, p.source_id, p.subject_unit_id])).toEqual([['contact_form.no_sign_in_time', overdue.id, d.parts[0].unit.id]]);
    expect((await admin.get('/api/v1/audit?action=case.deadline_missed')).json().total).toBe(1);
    // The receiving unit head's 待办 shows it among the overdue items.
    const todoOverdue = (await (await as('equipment')).get('/api/v1/cases?tab=todo&overdue=true')).json();
    expect(todoOverdue.items.map((i: { id: number }) => i.id)).toEqual([overdue.id]);
  });

  it('fills the 待办 of the printed logins whose move it is', async () => {
    const awaited = [...new Set(demo.forms.flatMap((f) => (f.awaits ? [f.awaits] : [])))];
    expect(awaited.sort()).toEqual(['equipment', 'specialist', 'unithead']);
    for (const username of awaited) {
      expect(demo.logins.map((l) => l.username)).toContain(username);
      const todo = (await (await as(username)).get('/api/v1/cases?tab=todo')).json();
      const want = demo.forms.filter((f) => f.awaits === username).map((f) => f.id);
      expect([username, todo.items.map((i: { id: number }) => i.id).sort()]).toEqual([username, [...want].sort()]);
    }
    expect((await (await as('specialist')).get('/api/v1/cases?tab=todo')).json().total).toBeGreaterThan(0);
    expect((await admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('refuses to run twice and changes nothing the second time', async () => {
    const before = {
      units: await count('unit'),
      people: await count('person'),
      accounts: await count('account'),
      cases: await count('case_record'),
      audit: await count('audit_event'),
    };
    const at = clock.now().toISOString();
    await expect(loadDemo(t.services, { clock })).rejects.toThrow(DemoRefusedError);
    await expect(loadDemo(t.services, { clock })).rejects.toThrow(/已有组织“华岳能源集团”.*\n.*already holds the organization/);
    expect(clock.now().toISOString()).toBe(at);
    expect({
      units: await count('unit'),
      people: await count('person'),
      accounts: await count('account'),
      cases: await count('case_record'),
      audit: await count('audit_event'),
    }).toEqual(before);
  });
});
