import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_ENCODINGS } from '../../src/contracts/limits.js';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

type Row = (string | number | null)[];
const UNIT_HEADER = ['单位编码', '单位名称', '单位类型', '上级单位编码', '排序'];
const PEOPLE_HEADER = ['工号', '姓名', '性别', '岗位', '手机', '所属单位编码', '角色', '状态'];

async function xlsx(sheets: Record<string, Row[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** A multipart/form-data body by hand: light-my-request has no form builder. */
function multipart(fileName: string, content: Buffer, field = 'file') {
  const boundary = `----liaison${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(t: TestApp, c: Client, fileName: string, content: Buffer, opts: { query?: string; lang?: string; field?: string } = {}) {
  const body = multipart(fileName, content, opts.field);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/org/import${opts.query ?? ''}`,
    payload: body.payload,
    headers: {
      cookie: c.cookie as string,
      'x-csrf-token': c.csrf as string,
      'content-type': body.contentType,
      ...(opts.lang && { 'accept-language': opts.lang }),
    },
  });
}

const download = async (c: Client, url: string) => {
  const res = await c.get(url);
  return { res, wb: res.statusCode === 200 ? await readXlsx(res.rawPayload) : null };
};

const sheetRows = (ws: ExcelJS.Worksheet | undefined) => {
  const out: string[][] = [];
  ws?.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  return out;
};

describe('organization import and export (.xlsx / .csv)', () => {
  let t: TestApp;
  let admin: Client;
  let root: number;
  const count = async (table: 'unit' | 'person' | 'membership' | 'audit_event') =>
    Number(
      (
        await t.services.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counts = async () => ({
    units: await count('unit'),
    people: await count('person'),
    memberships: await count('membership'),
    audit: await count('audit_event'),
  });

  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    admin = await login(t);
    root = await rootId(t);
  });
  afterAll(() => t.close());

  it('serves a template that opens in Excel with both sheets, bold frozen headers, an example row and drop-down hints', async () => {
    const { res, wb } = await download(admin, '/api/v1/org/import-template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('组织人员导入模板.xlsx')}`);
    const units = wb?.getWorksheet('单位');
    const people = wb?.getWorksheet('人员');
    expect(sheetRows(units)[0]).toEqual(UNIT_HEADER);
    expect(sheetRows(people)[0]).toEqual(PEOPLE_HEADER);
    expect(sheetRows(units)).toHaveLength(2);
    expect(sheetRows(people)[1]?.slice(0, 3)).toEqual(['E0001', '张三', '男']);
    expect(units?.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(people?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const validations = JSON.stringify((people as unknown as { dataValidations: { model: unknown } }).dataValidations.model);
    expect(validations).toContain('男,女');
    expect(validations).toContain('在职,离职');
    expect(validations).toContain('普通职工');
  });

  it('imports units and people from one .xlsx, parents resolved in any order, each change on record', async () => {
    const before = await counts();
    const file = await xlsx({
      单位: [
        UNIT_HEADER,
        ['IM-QJ', '汽机运行', '队/班组', 'IM-FD', 1], // its parent comes later in the file
        ['IM-PLANT', '热电厂', 'plant', 'ROOT', 1],
        ['IM-FD', '发电部', '部门', 'IM-PLANT', 1],
      ],
      人员: [
        PEOPLE_HEADER,
        ['IM001', '王强', '男', '班长', '13800000001', 'IM-QJ', '班组长', '在职'],
        ['IM002', '李娜', '女', '主值', '13800000002', 'IM-QJ', 'staff', ''],
        ['IM003', '赵敏', '', '', '', 'IM-FD', '单位负责人', '在职'],
      ],
    });
    const res = await upload(t, admin, 'org.xlsx', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ok: true,
      units: { created: 3, updated: 0, unchanged: 0 },
      people: { created: 3, updated: 0, unchanged: 0 },
      dryRun: false,
    });
    const after = await counts();
    expect(after).toEqual({ units: before.units + 3, people: before.people + 3, memberships: before.memberships + 3, audit: before.audit + 7 });

    const tree = (await admin.get('/api/v1/units')).json() as { id: number; code: string; path: string; parentId: number }[];
    const byCode = Object.fromEntries(tree.map((u) => [u.code, u]));
    expect(byCode['IM-QJ']?.path).toBe(`/${root}/${byCode['IM-PLANT']?.id}/${byCode['IM-FD']?.id}/${byCode['IM-QJ']?.id}/`);

    const found = (await admin.get('/api/v1/people?q=IM001')).json().items[0];
    const detail = (await admin.get(`/api/v1/people/${found.id}`)).json();
    expect(detail).toMatchObject({ name: '王强', gender: 'male', post: '班长', phone: '13800000001', status: 'active' });
    expect(detail.memberships[0]).toMatchObject({ unitId: byCode['IM-QJ']?.id, roleCode: 'team_leader', isPrimary: true });
    const worker = (await admin.get('/api/v1/people?q=IM002')).json().items[0];
    const chain = (await admin.get(`/api/v1/people/${worker.id}`)).json().reportingChain.map((c: { name: string }) => c.name);
    expect(chain).toEqual(['王强', '赵敏']);

    const audit = (await admin.get('/api/v1/audit?action=org.import')).json().items[0];
    expect(audit).toMatchObject({ entityType: 'import', after: { source: 'org.xlsx', units: { created: 3 }, people: { created: 3 } } });
    const history = (await admin.get(`/api/v1/people/${found.id}/history`)).json();
    expect(history[0]).toMatchObject({ action: 'person.import_create', after: { employeeNo: 'IM001', membership: { roleCode: 'team_leader' } } });
    expect((await admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('updates existing units and people by code and 工号: rename, move, new membership', async () => {
    const file = await xlsx({
      单位: [UNIT_HEADER, ['IM-QJ', '汽机运行班', '队/班组', 'IM-PLANT', 2]],
      人员: [PEOPLE_HEADER, ['IM002', '李娜', '女', '副值', '13800000002', 'IM-FD', '班组长', '离职']],
    });
    const res = await upload(t, admin, 'update.xlsx', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ units: { created: 0, updated: 1 }, people: { created: 0, updated: 1 } });
    const tree = (await admin.get('/api/v1/units')).json() as { id: number; code: string; name: string; parentId: number; depth: number }[];
    const qj = tree.find((u) => u.code === 'IM-QJ');
    expect(qj).toMatchObject({ name: '汽机运行班', parentId: tree.find((u) => u.code === 'IM-PLANT')?.id, depth: 2 });
    const li = (await admin.get('/api/v1/people?q=IM002&status=all')).json().items[0];
    const detail = (await admin.get(`/api/v1/people/${li.id}`)).json();
    expect(detail).toMatchObject({ post: '副值', status: 'left' });
    // The new membership is added and becomes the primary one; the old one stays.
    expect(detail.memberships.map((m: { unitName: string; roleCode: string; isPrimary: boolean }) => [m.unitName, m.roleCode, m.isPrimary])).toEqual([
      ['发电部', 'team_leader', true],
      ['汽机运行班', 'staff', false],
    ]);
    const history = (await admin.get(`/api/v1/units/${qj?.id}/history`)).json();
    expect(history[0]).toMatchObject({ action: 'unit.import_update', before: { name: '汽机运行' }, after: { name: '汽机运行班' } });
  });

  it('moves an existing unit under a unit created by the same file, subtree paths included', async () => {
    const first = await upload(
      t,
      admin,
      'move.xlsx',
      await xlsx({ 单位: [UNIT_HEADER, ['MV-A1', '甲一班', 'team', 'MV-A', ''], ['MV-A', '甲部', 'department', 'ROOT', 5]] }),
    );
    expect(first.json().units).toEqual({ created: 2, updated: 0, unchanged: 0 });
    // MV-A moves under MV-NEW, which this file creates; MV-SUB is created under MV-A at its new place.
    const second = await upload(
      t,
      admin,
      'move2.xlsx',
      await xlsx({
        单位: [UNIT_HEADER, ['MV-SUB', '甲二班', 'team', 'MV-A', ''], ['MV-A', '甲部', '部门', 'MV-NEW', 5], ['MV-NEW', '新部门', 'department', 'ROOT', 9]],
      }),
    );
    expect(second.json().units).toEqual({ created: 2, updated: 1, unchanged: 0 });
    const tree = (await admin.get('/api/v1/units')).json() as { id: number; code: string; path: string; depth: number }[];
    const u = Object.fromEntries(tree.map((x) => [x.code, x]));
    expect(u['MV-A']).toMatchObject({ path: `/${root}/${u['MV-NEW']?.id}/${u['MV-A']?.id}/`, depth: 2 });
    expect(u['MV-A1']).toMatchObject({ path: `${u['MV-A']?.path}${u['MV-A1']?.id}/`, depth: 3 });
    expect(u['MV-SUB']).toMatchObject({ path: `${u['MV-A']?.path}${u['MV-SUB']?.id}/`, depth: 3 });
  });

  it('imports nothing when one row is bad, and names every problem by sheet, row and column', async () => {
    const before = await counts();
    const file = await xlsx({
      单位: [UNIT_HEADER, ['BAD-1', '好单位', '部门', 'ROOT', 1]],
      人员: [
        PEOPLE_HEADER,
        ['BAD001', '甲', '男', '', '13800000011', 'BAD-1', '', ''],
        ['BAD002', '乙', '男', '', '13800000012', 'BAD-1', '', ''],
        ['BAD001', '丙', '不详', '', 'abc', 'NOPE', '厂长', ''],
      ],
    });
    const res = await upload(t, admin, 'bad.xlsx', file);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe('IMPORT_INVALID');
    expect(body.error.message).toBe('文件有 5 处错误，未导入任何数据');
    expect(body.error.details).toEqual([
      { path: '人员:4:工号', message: '与第 2 行重复' },
      { path: '人员:4:性别', message: '取值无效，可选：男 / 女 / male / female' },
      { path: '人员:4:手机', message: '手机号“abc”格式不正确' },
      { path: '人员:4:所属单位编码', message: '找不到“NOPE”' },
      { path: '人员:4:角色', message: expect.stringMatching(/^找不到“厂长”，可填：.*班组长（team_leader） \/ 普通职工（staff）/) },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('matches a unit type by its code or its name, and an unknown one is answered with the valid ones', async () => {
    const before = await counts();
    const byCodeAndName = await xlsx({
      单位: [UNIT_HEADER, ['UT-A', '甲科', 'section', 'ROOT', ''], ['UT-B', '乙科', '科室', 'ROOT', ''], ['UT-C', '丙科', 'SECTION', 'ROOT', '']],
    });
    const ok = await upload(t, admin, 'types.xlsx', byCodeAndName, { query: '?dryRun=1' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().units).toEqual({ created: 3, updated: 0, unchanged: 0 });

    const res = await upload(t, admin, 'type.xlsx', await xlsx({ 单位: [UNIT_HEADER, ['UT-X', '车间一', '车间', 'ROOT', '']] }));
    expect(res.statusCode).toBe(422);
    const [detail] = res.json().error.details as { path: string; message: string }[];
    expect(detail?.path).toBe('单位:2:单位类型');
    expect(detail?.message).toMatch(/^找不到“车间”，可填：集团（group） \/ 公司（company） \/ /);
    for (const name of ['部门（department）', '队/班组（team）', '班级（class）']) expect(detail?.message).toContain(name);
    const en = await upload(t, admin, 'type.xlsx', await xlsx({ 单位: [UNIT_HEADER, ['UT-X', '车间一', 'workshop', 'ROOT', '']] }), { lang: 'en' });
    expect(en.json().error.details[0].message).toMatch(/^"workshop" not found; use one of: 集团（group） \/ /);
    expect(await counts()).toEqual(before);
  });

  it('states the CSV encodings in the same words in the template, the API description and the error for an unreadable header', async () => {
    const { wb } = await download(admin, '/api/v1/org/import-template');
    const notes = wb?.worksheets.flatMap((ws) => sheetRows(ws).flat()).join('\n') ?? '';
    expect(notes).toContain(`.csv（编码 ${CSV_ENCODINGS['zh-CN']}）`);
    const doc = (await admin.get('/api/v1/openapi.json')).json();
    expect(doc.paths['/api/v1/org/import'].post.description).toContain(CSV_ENCODINGS.en);
    const zh = await upload(t, admin, 'x.csv', Buffer.from('foo,bar\n1,2\n'));
    expect(zh.json().error.details[0]).toEqual({ path: 'CSV:1:', message: expect.stringContaining(`文件编码须为 ${CSV_ENCODINGS['zh-CN']}`) });
    const en = await upload(t, admin, 'x.csv', Buffer.from('foo,bar\n1,2\n'), { lang: 'en' });
    expect(en.json().error.details[0].message).toContain(`the file must be ${CSV_ENCODINGS.en}`);
    // The xlsx's unknown sheet says nothing about encodings.
    const sheet = await upload(t, admin, 'x.xlsx', await xlsx({ Sheet1: [['foo', 'bar']] }));
    expect(sheet.json().error.details[0].message).not.toContain('UTF-8');
  });

  it('answers in English when asked', async () => {
    const file = await xlsx({ 人员: [PEOPLE_HEADER, ['EN001', 'Li', 'x', '', '', 'ROOT', '', '']] });
    const res = await upload(t, admin, 'en.xlsx', file, { lang: 'en' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      message: 'The file has 1 errors; nothing was imported',
      details: [{ path: '人员:2:性别', message: 'must be one of: 男 / 女 / male / female' }],
    });
  });

  it('refuses a sheet that lacks required columns with missing_column details', async () => {
    const before = await counts();
    const res = await upload(
      t,
      admin,
      'cols.xlsx',
      await xlsx({
        人员: [
          ['姓名', '手机'],
          ['王五', '13800000000'],
        ],
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([
      { path: '人员:1:工号', message: '缺少列“工号”' },
      { path: '人员:1:所属单位编码', message: '缺少列“所属单位编码”' },
    ]);
    const csv = await upload(t, admin, 'x.csv', Buffer.from('foo,bar\n1,2\n'));
    expect(csv.statusCode).toBe(422);
    expect(csv.json().error.details[0].path).toBe('CSV:1:');
    expect(await counts()).toEqual(before);
  });

  it('answers 400 IMPORT_BAD_FILE for something that is not a spreadsheet', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(200)]);
    for (const name of ['photo.xlsx', 'photo.csv']) {
      const res = await upload(t, admin, name, png);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('IMPORT_BAD_FILE');
    }
    const zip = await upload(t, admin, 'broken.xlsx', Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(300)]));
    expect(zip.json().error).toMatchObject({ code: 'IMPORT_BAD_FILE', message: '无法读取文件：请上传 .xlsx 或 .csv 文件（.xlsx 文件已损坏或无法解析）' });
    const json = await admin.post('/api/v1/org/import', { file: 'x' });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('IMPORT_BAD_FILE');
    const wrongField = await upload(t, admin, 'a.csv', Buffer.from('工号,姓名,所属单位编码\n'), { field: 'upload' });
    expect(wrongField.json().error.code).toBe('IMPORT_BAD_FILE');
  });

  it('imports a UTF-8 CSV of people (BOM and quotes allowed)', async () => {
    const csv = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('工号,姓名,性别,岗位,手机,所属单位编码,角色,状态\r\nCSV001,"欧阳,明",男,巡检,13800000021,IM-FD,,在职\r\n', 'utf8'),
    ]);
    const res = await upload(t, admin, 'people.csv', csv);
    expect(res.statusCode).toBe(200);
    expect(res.json().people).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect((await admin.get('/api/v1/people?q=CSV001')).json().items[0]).toMatchObject({ name: '欧阳,明' });
  });

  it('counts without writing on a dry run', async () => {
    const before = await counts();
    const file = await xlsx({ 单位: [UNIT_HEADER, ['DRY-1', '试运行', '部门', 'ROOT', '']] });
    const res = await upload(t, admin, 'dry.xlsx', file, { query: '?dryRun=1' });
    expect(res.statusCode).toBe(200);
    expect(res.json().units).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(await counts()).toEqual(before);
  });

  it('exports what the user may see, and re-importing the export changes nothing', async () => {
    const { res, wb } = await download(admin, '/api/v1/org/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('组织人员导出'));
    const units = sheetRows(wb?.getWorksheet('单位'));
    const people = sheetRows(wb?.getWorksheet('人员'));
    expect(units[0]).toEqual(UNIT_HEADER);
    expect(people[0]).toEqual(PEOPLE_HEADER);
    expect(units.find((r) => r[0] === 'IM-FD')).toEqual(['IM-FD', '发电部', '部门', 'IM-PLANT', '1']);
    expect(people.find((r) => r[0] === 'IM002')).toEqual(['IM002', '李娜', '女', '副值', '13800000002', 'IM-FD', '班组长', '离职']);

    const before = await counts();
    const again = await upload(t, admin, 'export.xlsx', res.rawPayload);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({
      ok: true,
      units: { created: 0, updated: 0, unchanged: units.length - 1 },
      people: { created: 0, updated: 0, unchanged: people.length - 1 },
      dryRun: false,
    });
    // Only the import's own summary event is added.
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
  });

  it('limits the export to the subtree where the user may read people', async () => {
    const other = await createUnit(admin, root, 'EXP-OTHER', '其他部门');
    await admin.post('/api/v1/people', { name: '外人', unitId: other, roleCode: 'staff', employeeNo: 'EXP-OUT' });
    const fd = (await admin.get('/api/v1/units')).json().find((u: { code: string }) => u.code === 'IM-FD').id;
    await createUser(t, admin, { unitId: fd, role: 'unit_head', username: 'fd_head', employeeNo: 'EXP-HEAD' });
    const head = await login(t, 'fd_head', 'Real12345x');
    const { wb } = await download(head, '/api/v1/org/export');
    const units = sheetRows(wb?.getWorksheet('单位')).map((r) => r[0]);
    const people = sheetRows(wb?.getWorksheet('人员')).map((r) => r[0]);
    expect(units.slice(1).sort()).toEqual(['IM-FD']);
    expect(people).toContain('EXP-HEAD');
    expect(people).not.toContain('EXP-OUT');
    expect(people).not.toContain('IM001'); // in 汽机运行班, which now hangs under the plant
  });

  it('refuses import to a user without org.manage (403), and template / export to one without the people permissions', async () => {
    const dept = await createUnit(admin, root, 'HR-DEPT', '人力资源部');
    await createUser(t, admin, { unitId: root, role: 'hr', username: 'hr_user' });
    await createUser(t, admin, { unitId: dept, role: 'staff', username: 'plain_staff' });
    const hr = await login(t, 'hr_user', 'Real12345x');
    const staff = await login(t, 'plain_staff', 'Real12345x');
    const before = await counts();
    const res = await upload(t, hr, 'org.xlsx', await xlsx({ 单位: [UNIT_HEADER, ['HR-X', '不该建', '部门', 'ROOT', '']] }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await hr.get('/api/v1/org/import-template')).statusCode).toBe(200);
    expect((await staff.get('/api/v1/org/import-template')).statusCode).toBe(403);
    expect((await staff.get('/api/v1/org/export')).statusCode).toBe(403);
  });

  it('refuses a file that grants a role with more rights than the importer holds, and imports nothing', async () => {
    await createUser(t, admin, { unitId: root, role: 'office', username: 'office_root' });
    const office = await login(t, 'office_root', 'Real12345x');
    const before = await counts();
    const res = await upload(t, office, 'org.xlsx', await xlsx({ 人员: [PEOPLE_HEADER, ['ESC1', '提权者', '男', '', '', 'ROOT', '系统管理员', '在职']] }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details[0].path).toBe('人员:2:角色');
    expect(await counts()).toEqual(before);
    const ok = await upload(t, office, 'org.xlsx', await xlsx({ 人员: [PEOPLE_HEADER, ['ESC2', '普通员工', '女', '', '', 'ROOT', '普通职工', '在职']] }));
    expect(ok.statusCode).toBe(200);
  });

  it('imports 10,000 people in one all-or-nothing transaction', async () => {
    const unitRows: Row[] = [UNIT_HEADER, ['BIG', '大单位', '部门', 'ROOT', 0]];
    for (let u = 0; u < 20; u++) unitRows.push([`BIG-${u}`, `班组${u}`, 'team', 'BIG', u]);
    const peopleRows: Row[] = [PEOPLE_HEADER];
    for (let i = 0; i < 10_000; i++) {
      peopleRows.push([
        `B${String(i).padStart(5, '0')}`,
        `职工${i}`,
        i % 2 ? '男' : '女',
        '巡检',
        `139${String(i).padStart(8, '0')}`,
        `BIG-${i % 20}`,
        i % 50 === 0 ? '班组长' : '普通职工',
        '在职',
      ]);
    }
    const file = await xlsx({ 单位: unitRows, 人员: peopleRows });
    const before = await counts();
    const started = performance.now();
    const res = await upload(t, admin, 'big.xlsx', file);
    const ms = performance.now() - started;
    console.log(`[import benchmark] 10,000 people + 21 units (${(file.length / 1024).toFixed(0)} KB xlsx) imported in ${(ms / 1000).toFixed(2)} s`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ units: { created: 21 }, people: { created: 10_000 } });
    expect(await counts()).toEqual({
      units: before.units + 21,
      people: before.people + 10_000,
      memberships: before.memberships + 10_000,
      audit: before.audit + 21 + 10_000 + 1,
    });

    // Changing one of them validates all 10,000 again and updates only that one.
    peopleRows[5000] = [...(peopleRows[5000] as Row)];
    (peopleRows[5000] as Row)[3] = '主值';
    const t2 = performance.now();
    const again = await upload(t, admin, 'big2.xlsx', await xlsx({ 人员: peopleRows }));
    console.log(`[import benchmark] 10,000 people re-imported (1 changed) in ${((performance.now() - t2) / 1000).toFixed(2)} s`);
    expect(again.json().people).toEqual({ created: 0, updated: 1, unchanged: 9_999 });
    expect((await admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  }, 120_000);
});

describe('organization import: upload limit', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_UPLOAD_LIMIT: '20000' } });
    admin = await login(t);
  });
  afterAll(() => t.close());

  it('answers 413 UPLOAD_TOO_LARGE past the upload limit and imports nothing', async () => {
    const people = await t.services.db.kysely.selectFrom('person').select('id').execute();
    const lines = ['工号,姓名,所属单位编码'];
    for (let i = 0; i < 2_000; i++) lines.push(`BIG${i},职工${i},ROOT`);
    const res = await upload(t, admin, 'big.csv', Buffer.from(lines.join('\n')));
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'UPLOAD_TOO_LARGE', message: '上传文件过大（上限 20 KB）' });
    expect(await t.services.db.kysely.selectFrom('person').select('id').execute()).toHaveLength(people.length);
  });
});
