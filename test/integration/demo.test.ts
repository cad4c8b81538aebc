import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoRefusedError, type DemoResult, loadDemo } from '../../src/server/modules/demo/index.js';
import { type Client, login, startTestApp, type TestApp } from '../support/harness.js';

describe('npm run demo: a realistic organization loaded into an empty database', () => {
  let t: TestApp;
  let demo: DemoResult;
  let admin: Client;
  const count = async (table: 'unit' | 'person' | 'account' | 'audit_event') =>
    Number(
      (
        await t.services.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    t = await startTestApp({ setup: false, env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    const started = performance.now();
    demo = await loadDemo(t.services);
    console.log(`[demo] ${demo.units} units, ${demo.people} people loaded in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    const a = demo.logins.find((l) => l.username === 'admin');
    admin = await login(t, 'admin', a?.password);
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

  it('prints logins with fresh random passwords that work, without a forced password change', async () => {
    expect(demo.logins.map((l) => l.username)).toEqual(['admin', 'office', 'leader', 'unithead', 'shiftlead', 'teamlead', 'worker', 'hr']);
    expect(new Set(demo.logins.map((l) => l.password)).size).toBe(demo.logins.length);
    for (const l of demo.logins) {
      expect(l.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{12,}$/);
      const c = await login(t, l.username, l.password);
      const me = (await c.get('/api/v1/auth/me')).json();
      expect(me.mustChangePassword).toBe(false);
      expect(me.name).toBe(l.name);
    }
    const grants = async (username: string) => {
      const l = demo.logins.find((x) => x.username === username);
      return (await (await login(t, username, l?.password)).get('/api/v1/auth/me'))
        .json()
        .grants.map((g: { role: string; unitName: string }) => `${g.role}@${g.unitName}`);
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

  it('refuses to run twice and changes nothing the second time', async () => {
    const before = { units: await count('unit'), people: await count('person'), accounts: await count('account'), audit: await count('audit_event') };
    await expect(loadDemo(t.services)).rejects.toThrow(DemoRefusedError);
    await expect(loadDemo(t.services)).rejects.toThrow(/已有组织“华岳能源集团”.*\n.*already holds the organization/);
    expect({ units: await count('unit'), people: await count('person'), accounts: await count('account'), audit: await count('audit_event') }).toEqual(before);
  });
});
