import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

describe('organization: units, people, memberships, reporting chain', () => {
  let t: TestApp;
  let admin: Client;
  let root: number;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t);
    root = await rootId(t);
  });
  afterAll(() => t.close());

  const auditCount = async () =>
    (
      await t.services.db.kysely
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('builds a unit tree of any depth with types as data', async () => {
    const plant = await createUnit(admin, root, 'PLANT', '热电厂', 'plant');
    const dept = await createUnit(admin, plant, 'FD', '发电部', 'department');
    const turbine = await createUnit(admin, dept, 'QJ', '汽机运行', 'team');
    const shift = await createUnit(admin, turbine, 'QJ-1', '一值', 'shift');
    const post = await createUnit(admin, shift, 'QJ-1-ZZ', '主值', 'post');
    const unit = (await admin.get(`/api/v1/units/${post}`)).json();
    expect(unit.depth).toBe(5);
    expect(unit.path).toBe(`/${root}/${plant}/${dept}/${turbine}/${shift}/${post}/`);
    const types = (await admin.get('/api/v1/unit-types')).json().map((x: { code: string }) => x.code);
    expect(types).toEqual(expect.arrayContaining(['community', 'block', 'class', 'shift', 'post']));
    expect((await admin.post('/api/v1/unit-types', { code: 'workshop', nameZh: '车间', nameEn: 'Workshop' })).statusCode).toBe(200);
    expect((await admin.post('/api/v1/units', { parentId: plant, code: 'WS1', name: '检修车间', typeCode: 'workshop' })).statusCode).toBe(200);
  });

  it('refuses an unknown unit type with the field named', async () => {
    const res = await admin.post('/api/v1/units', { parentId: root, code: 'BAD', name: '坏', typeCode: 'nonsense' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'typeCode' });
  });

  it('moves a unit with its whole subtree and records the move', async () => {
    const a = await createUnit(admin, root, 'MA', '甲部');
    const b = await createUnit(admin, root, 'MB', '乙部');
    const a1 = await createUnit(admin, a, 'MA1', '甲一班', 'team');
    const a11 = await createUnit(admin, a1, 'MA11', '甲一班岗位', 'post');
    const moved = await admin.patch(`/api/v1/units/${a1}`, { parentId: b });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe(`/${root}/${b}/${a1}/`);
    const child = (await admin.get(`/api/v1/units/${a11}`)).json();
    expect(child.path).toBe(`/${root}/${b}/${a1}/${a11}/`);
    expect(child.depth).toBe(3);
    const history = (await admin.get(`/api/v1/units/${a1}/history`)).json();
    expect(history[0].action).toBe('unit.move');
    expect(history[0].before.parentId).toBe(a);
    expect(history[0].after.parentId).toBe(b);
  });

  it('refuses to move a unit under its own descendant and changes nothing', async () => {
    const top = await createUnit(admin, root, 'CY', '循环部');
    const mid = await createUnit(admin, top, 'CY1', '循环一', 'team');
    const low = await createUnit(admin, mid, 'CY11', '循环岗', 'post');
    const events = await auditCount();
    for (const target of [low, top]) {
      const res = await admin.patch(`/api/v1/units/${top}`, { parentId: target, name: '改名不应生效' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('UNIT_CYCLE');
    }
    expect((await admin.get(`/api/v1/units/${top}`)).json()).toMatchObject({ name: '循环部', parentId: root });
    expect(await auditCount()).toBe(events);
  });

  it('refuses to move or delete the root unit', async () => {
    const other = await createUnit(admin, root, 'RT', '根下');
    expect((await admin.patch(`/api/v1/units/${root}`, { parentId: other })).json().error.code).toBe('ROOT_UNIT');
    expect((await admin.delete(`/api/v1/units/${root}`)).json().error.code).toBe('ROOT_UNIT');
  });

  it('deletes only an empty unit', async () => {
    const u = await createUnit(admin, root, 'DEL', '待删');
    const child = await createUnit(admin, u, 'DEL1', '待删子', 'team');
    expect((await admin.delete(`/api/v1/units/${u}`)).json().error.code).toBe('UNIT_NOT_EMPTY');
    expect((await admin.delete(`/api/v1/units/${child}`)).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/units/${u}`)).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/units/${u}`)).statusCode).toBe(404);
  });

  it('refuses a duplicate unit code and a duplicate employee number, in the user language, keeping the first', async () => {
    await createUnit(admin, root, 'DUP', '重复');
    const dupUnit = await admin.post('/api/v1/units', { parentId: root, code: 'DUP', name: '重复2', typeCode: 'department' });
    expect(dupUnit.statusCode).toBe(409);
    expect(dupUnit.json().error.message).toBe('单位编码“DUP”已存在');
    const p1 = await admin.post('/api/v1/people', { name: '王五', unitId: root, employeeNo: 'E001' });
    expect(p1.statusCode).toBe(200);
    const p2 = await admin.request('POST', '/api/v1/people', { name: '赵六', unitId: root, employeeNo: 'E001' }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(p2.statusCode).toBe(409);
    expect(p2.json().error).toMatchObject({ code: 'DUPLICATE', message: 'Employee number "E001" already exists', details: [{ path: 'employeeNo' }] });
    const people = await t.services.db.kysely.selectFrom('person').select('name').where('employee_no', '=', 'E001').execute();
    expect(people).toEqual([{ name: '王五' }]);
  });

  it('derives the reporting chain worker → team leader → shift leader → unit head → leader from the tree', async () => {
    const dept = await createUnit(admin, root, 'FDB', '发电部');
    const shift = await createUnit(admin, dept, 'FDB-1', '一值', 'shift');
    const team = await createUnit(admin, shift, 'FDB-1-QJ', '汽机班', 'team');
    const add = async (name: string, unitId: number, roleCode: string) => (await admin.post('/api/v1/people', { name, unitId, roleCode })).json().id as number;
    const worker = await add('巡检工', team, 'staff');
    await add('汽机班长', team, 'team_leader');
    await add('一值值长', shift, 'shift_leader');
    await add('发电部主任', dept, 'unit_head');
    await add('生产副总', root, 'leader');
    await add('办公室主任', root, 'office');
    const detail = (await admin.get(`/api/v1/people/${worker}`)).json();
    expect(detail.reportingChain.map((c: { name: string }) => c.name)).toEqual(['汽机班长', '一值值长', '发电部主任', '生产副总']);
    expect(detail.memberships[0]).toMatchObject({ unitId: team, roleCode: 'staff', isPrimary: true });
  });

  it('keeps people who left, and finds them by name, number or phone', async () => {
    const p = (
      await admin.post('/api/v1/people', { name: '钱七', unitId: root, employeeNo: 'Q007', phone: '13800000007', gender: 'male', post: '司机' })
    ).json();
    expect((await admin.patch(`/api/v1/people/${p.id}`, { status: 'left' })).json().status).toBe('left');
    const active = (await admin.get('/api/v1/people?q=钱七')).json();
    expect(active.total).toBe(0);
    const all = (await admin.get('/api/v1/people?q=Q007&status=all')).json();
    expect(all.items[0]).toMatchObject({ name: '钱七', status: 'left' });
    const history = (await admin.get(`/api/v1/people/${p.id}/history`)).json();
    expect(history.map((h: { action: string }) => h.action)).toEqual(['person.leave', 'person.create']);
  });

  it('paginates and sorts the people list', async () => {
    const unit = await createUnit(admin, root, 'PG', '分页部');
    for (let i = 0; i < 7; i++) await admin.post('/api/v1/people', { name: `分页${i}`, unitId: unit, employeeNo: `PG${9 - i}` });
    const page1 = (await admin.get(`/api/v1/people?unitId=${unit}&pageSize=3&sort=employeeNo&order=asc`)).json();
    expect(page1.total).toBe(7);
    expect(page1.items.map((p: { employeeNo: string }) => p.employeeNo)).toEqual(['PG3', 'PG4', 'PG5']);
    const page3 = (await admin.get(`/api/v1/people?unitId=${unit}&pageSize=3&page=3&sort=employeeNo&order=asc`)).json();
    expect(page3.items.map((p: { employeeNo: string }) => p.employeeNo)).toEqual(['PG9']);
  });

  it('sorts people by name in pinyin order (zh-CN collation) on both databases, across pages, and lists each person’s units', async () => {
    const unit = await createUnit(admin, root, 'PY', '拼音部');
    const other = await createUnit(admin, root, 'PY2', '安全部');
    // In code point order 张 < 李 < 王 < 赵 < 陈 < 阿; in pinyin 阿 (a) < 陈 (chen) < 李 (li) < 王 (wang) < 张 (zhang) < 赵 (zhao).
    const names = ['张三', '李四', '王五', '赵六', '陈七', '阿八'];
    const ids: Record<string, number> = {};
    for (const name of names) ids[name] = (await admin.post('/api/v1/people', { name, unitId: unit })).json().id;
    await admin.post('/api/v1/memberships', { personId: ids.李四, unitId: other, roleCode: 'team_leader' });

    const pinyin = ['阿八', '陈七', '李四', '王五', '张三', '赵六'];
    const namesOf = (body: { items: { name: string }[] }) => body.items.map((p) => p.name);
    const all = (await admin.get(`/api/v1/people?unitId=${unit}&sort=name`)).json();
    expect(namesOf(all)).toEqual(pinyin);
    const page2 = (await admin.get(`/api/v1/people?unitId=${unit}&sort=name&pageSize=4&page=2`)).json();
    expect({ total: page2.total, names: namesOf(page2) }).toEqual({ total: 6, names: ['张三', '赵六'] });
    const desc = (await admin.get(`/api/v1/people?unitId=${unit}&sort=name&order=desc&pageSize=2`)).json();
    expect(namesOf(desc)).toEqual(['赵六', '张三']);
    // The unit's direct members (subtree=0) in the same order.
    expect(namesOf((await admin.get(`/api/v1/people?unitId=${unit}&subtree=0&sort=name`)).json())).toEqual(pinyin);
    // The whole organization, searched.
    expect(namesOf((await admin.get('/api/v1/people?q=八&sort=name')).json())).toEqual(['阿八']);

    const li = all.items.find((p: { name: string }) => p.name === '李四');
    expect(li.units).toEqual([
      { unitId: unit, unitName: '拼音部', roleCode: 'staff', roleName: '普通职工', isPrimary: true },
      { unitId: other, unitName: '安全部', roleCode: 'team_leader', roleName: '班组长', isPrimary: false },
    ]);
    expect(all.items.find((p: { name: string }) => p.name === '张三').units).toHaveLength(1);
  });

  it('lets nobody grant a role with more rights than they hold (an office clerk cannot create a system administrator)', async () => {
    const unit = await createUnit(admin, root, 'ESC', '办公室所辖');
    const clerk = await createUser(t, admin, { unitId: unit, role: 'office', username: 'clerk' });
    const c = await login(t, 'clerk', clerk.password);
    const people = async () => (await t.services.db.kysely.selectFrom('person').select('id').execute()).length;
    const before = await people();
    const res = await c.post('/api/v1/people', { name: '越权', unitId: unit, roleCode: 'system_admin' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details[0]).toMatchObject({ path: 'roleCode', message: expect.stringContaining('system_admin') });
    const m = await c.post('/api/v1/memberships', { personId: clerk.personId, unitId: unit, roleCode: 'system_admin' });
    expect(m.statusCode).toBe(403);
    expect(await people()).toBe(before);
    expect((await c.post('/api/v1/people', { name: '普通', unitId: unit, roleCode: 'staff' })).statusCode).toBe(200);
  });

  it('adds and removes memberships; a second role in another unit widens the person scope', async () => {
    const u1 = await createUnit(admin, root, 'MS1', '兼职一');
    const u2 = await createUnit(admin, root, 'MS2', '兼职二');
    const user = await createUser(t, admin, { unitId: u1, role: 'office', username: 'jianzhi' });
    const c = await login(t, 'jianzhi', user.password);
    expect((await c.get(`/api/v1/units/${u2}`)).statusCode).toBe(404);
    const m = await admin.post('/api/v1/memberships', { personId: user.personId, unitId: u2, roleCode: 'office' });
    expect(m.statusCode).toBe(200);
    expect((await c.get(`/api/v1/units/${u2}`)).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/memberships/${m.json().id}`)).statusCode).toBe(200);
    expect((await c.get(`/api/v1/units/${u2}`)).statusCode).toBe(404);
  });
});
