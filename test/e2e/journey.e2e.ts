/**
 * Browser journey (npm run test:e2e): a real server on a fresh SQLite database, Debian chromium
 * driven by playwright-core, the built UI from dist/web.
 *
 *   setup → logged in → create a unit → download the template → an invalid file is refused row by
 *   row → import people from an .xlsx (with progress) → they are listed, with a reporting chain →
 *   switch to English → the audit log shows the unit creation and the import → hash chain verifies →
 *   the phone layout at 375 px.
 *
 * Each step is a named check; the last line is `N passed, N failed` and the exit code is 1 on any
 * failure. Screenshots go to test-results/. Needs `npm run build:web` (run here if dist/web is missing).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RESULTS = path.join(ROOT, 'test-results');
const STARTED = Date.now();
const ORG = '华岳能源集团';
const ADMIN = { name: '陈斌', username: 'admin', password: 'Journey2026' };
const UNIT = { code: 'JD', name: '机电队' };
const SUBUNIT = { code: 'JD-1', name: '机电一班' };
const PEOPLE = [
  { no: 'E9001', name: '赵建国', gender: '男', post: '班长', phone: '13900000001', role: '班组长' },
  { no: 'E9002', name: '钱晓梅', gender: '女', post: '电工', phone: '13900000002', role: '普通职工' },
  { no: 'E9003', name: '孙立新', gender: '男', post: '钳工', phone: '13900000003', role: '普通职工' },
];

// ---------------------------------------------------------------- checks

const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];

async function check(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n      ') : String(e);
    results.push({ name, ok: false, ms: Date.now() - t0, error });
    console.log(`  ✗ ${name} (${Date.now() - t0} ms)\n      ${error}`);
    return false;
  }
}

function expect(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

// ---------------------------------------------------------------- helpers

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, server: ChildProcess, log: () => string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${log().slice(-2000)}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer within ${timeoutMs} ms:\n${log().slice(-2000)}`);
}

/** Puts our rows into the template's two sheets (replacing its example rows), keeping its header row. */
async function fillTemplate(
  template: Buffer,
  people: { no: string; name: string; gender: string; post: string; phone: string; unitCode: string; role: string }[],
) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(template as unknown as ArrayBuffer);
  const units = wb.getWorksheet('单位');
  const staff = wb.getWorksheet('人员');
  expect(units && staff, `template sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`);
  const header = (ws: ExcelJS.Worksheet) => {
    const map = new Map<string, number>();
    ws.getRow(1).eachCell((c, col) => map.set(String(c.value).replace(/[*＊\s]|（.*?）|\(.*?\)/g, ''), col));
    return map;
  };
  const put = (ws: ExcelJS.Worksheet, rowNo: number, values: Record<string, string | number>) => {
    const cols = header(ws);
    const row = ws.getRow(rowNo);
    for (const [k, v] of Object.entries(values)) {
      const col = cols.get(k);
      expect(col, `column ${k} in sheet ${ws.name} (have ${[...cols.keys()].join(', ')})`);
      row.getCell(col).value = v;
    }
    row.commit();
  };
  for (const ws of [units, staff]) if (ws.rowCount > 1) ws.spliceRows(2, ws.rowCount - 1);
  put(units, 2, { 单位编码: SUBUNIT.code, 单位名称: SUBUNIT.name, 单位类型: '队/班组', 上级单位编码: UNIT.code, 排序: 10 });
  people.forEach((p, i) => {
    put(staff, i + 2, { 工号: p.no, 姓名: p.name, 性别: p.gender, 岗位: p.post, 手机: p.phone, 所属单位编码: p.unitCode, 角色: p.role, 状态: '在职' });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const antdButton = (page: Page, text: string) => page.getByRole('button', { name: new RegExp(`^\\s*${[...text].join('\\s*')}\\s*$`) });

async function noHorizontalOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow <= 1, `page is ${overflow}px wider than the screen`);
}

// ---------------------------------------------------------------- run

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    console.log('dist/web is missing: building the web UI first');
    execFileSync('npm', ['run', 'build:web', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  let serverLog = '';

  try {
    const env: NodeJS.ProcessEnv = { ...process.env, LIAISON_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL; // always the fresh SQLite database
    // One process (node with tsx's loader), so killing it stops the server.
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout?.on('data', (c: Buffer) => (serverLog += c.toString()));
    server.stderr?.on('data', (c: Buffer) => (serverLog += c.toString()));

    const up = await check('the server starts on a fresh database', () => waitForHealth(base, server!, () => serverLog));
    if (!up) return 1;

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const desktop: BrowserContext = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
    desktop.setDefaultTimeout(10_000);
    const page = await desktop.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    await check('the first visit opens the setup page (初始设置)', async () => {
      await page.goto(base);
      await page.waitForURL('**/setup');
      await page.getByRole('heading', { name: '初始设置' }).waitFor();
      expect((await page.locator('#setup_timeZone').count()) === 1, 'time zone field');
    });

    await check('setup creates the organization and logs the administrator in', async () => {
      await page.fill('#setup_organizationName', ORG);
      await page.fill('#setup_admin_name', ADMIN.name);
      await page.fill('#setup_admin_username', ADMIN.username);
      await page.fill('#setup_admin_password', ADMIN.password);
      await page.fill('#setup_admin_passwordConfirm', ADMIN.password);
      await page.getByRole('button', { name: '完成设置并登录' }).click();
      await page.waitForURL('**/org');
      await page.getByTestId('org-name').filter({ hasText: ORG }).waitFor();
      await page.getByTestId(`unit-node-ROOT`).waitFor();
      await page.screenshot({ path: path.join(RESULTS, 'desktop-org.png') });
    });

    await check('a unit is created under the root (组织机构 → 新增下级单位)', async () => {
      await page.getByTestId('add-child-unit').click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#unit-form_name').fill(UNIT.name);
      await dialog.locator('#unit-form_code').fill(UNIT.code);
      await dialog.locator('#unit-form_typeCode').click();
      await page.locator('.ant-select-item-option[title="部门"]').click();
      await antdButton(page, '保存').click();
      await page.getByTestId(`unit-node-${UNIT.code}`).waitFor();
      await page.getByTestId('unit-detail').getByText(UNIT.name).first().waitFor();
      expect(new URL(page.url()).searchParams.get('unit'), 'the new unit is selected');
    });

    let template: Buffer | null = null;
    await check('the import template downloads as .xlsx (导入导出 → 下载模板)', async () => {
      await page.getByRole('menuitem', { name: '导入导出' }).click();
      await page.waitForURL('**/import');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-template').click()]);
      expect(download.suggestedFilename().endsWith('.xlsx'), `file name ${download.suggestedFilename()}`);
      const file = await download.path();
      template = fs.readFileSync(file);
      expect(template.subarray(0, 2).toString() === 'PK', 'an xlsx (zip) file');
    });

    const tmpFiles = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-files-'));
    await check('an invalid file is refused row by row and nothing is imported', async () => {
      expect(template, 'template');
      const bad = await fillTemplate(template, [
        { ...PEOPLE[0]!, unitCode: SUBUNIT.code },
        { ...PEOPLE[1]!, no: PEOPLE[0]!.no, unitCode: SUBUNIT.code }, // duplicate 工号
        { ...PEOPLE[2]!, unitCode: 'NO-SUCH-UNIT' },
      ]);
      const file = path.join(tmpFiles, '人员-有错误.xlsx');
      fs.writeFileSync(file, bad);
      await antdButton(page, '下一步').click();
      await page.locator('input[type=file]').setInputFiles(file);
      await page.getByTestId('chosen-file').waitFor();
      await page.getByTestId('validate').click();
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      await errors.getByText('文件有错误，未导入任何数据').waitFor();
      const table = (await errors.locator('table').textContent()) ?? '';
      for (const text of ['工作表', '行', '列', '原因', '人员', '工号', '所属单位编码']) expect(table.includes(text), `error table shows ${text}:\n${table}`);
      await page.screenshot({ path: path.join(RESULTS, 'desktop-import-errors.png') });
      const people = await page.request.get(`${base}/api/v1/people?q=E900`);
      expect(((await people.json()) as { total: number }).total === 0, 'nobody was imported');
    });

    await check('people are imported from the .xlsx with an upload progress bar (校验 → 确认导入)', async () => {
      expect(template, 'template');
      const good = await fillTemplate(
        template,
        PEOPLE.map((p) => ({ ...p, unitCode: SUBUNIT.code })),
      );
      const file = path.join(tmpFiles, '人员.xlsx');
      fs.writeFileSync(file, good);
      await antdButton(page, '重新选择文件').click();
      await page.locator('input[type=file]').setInputFiles(file);
      // Hold the answer a moment so the progress stage is on screen long enough to see.
      await page.route('**/api/v1/org/import**', async (route) => {
        await new Promise((r) => setTimeout(r, 700));
        await route.continue();
      });
      await page.getByTestId('validate').click();
      await page.getByTestId('import-progress').waitFor();
      expect((await page.getByTestId('import-progress').locator('.ant-progress').count()) === 1, 'a progress bar');
      await page.getByText('校验通过，可以导入').waitFor();
      await page.getByText(/人员：将新增 3/).waitFor();
      await page.getByTestId('confirm-import').click();
      await page.getByTestId('import-progress').waitFor();
      const done = page.getByTestId('import-done');
      await done.waitFor();
      const summary = (await done.textContent()) ?? '';
      expect(summary.includes('单位：新增 1') && summary.includes('人员：新增 3'), `summary: ${summary}`);
      await page.unroute('**/api/v1/org/import**');
      await page.screenshot({ path: path.join(RESULTS, 'desktop-import-done.png') });
    });

    await check('the imported people are listed (人员)', async () => {
      await page.getByRole('menuitem', { name: '人员' }).click();
      await page.waitForURL('**/people');
      const table = page.getByTestId('people-table');
      for (const p of PEOPLE) await table.getByRole('link', { name: p.name }).waitFor();
      await page.locator('input[placeholder*="工号"]').fill('E9002');
      await page.locator('input[placeholder*="工号"]').press('Enter');
      await page.waitForURL(/q=E9002/);
      await table.getByRole('link', { name: PEOPLE[1]!.name }).waitFor();
      await table.getByRole('link', { name: PEOPLE[0]!.name }).waitFor({ state: 'detached' });
    });

    await check('a person page shows the reporting chain (汇报链) up to the team leader', async () => {
      await page.getByTestId('people-table').getByRole('link', { name: PEOPLE[1]!.name }).click();
      await page.waitForURL(/\/people\/\d+$/);
      const chain = page.getByTestId('reporting-chain');
      await chain.getByText('汇报链').waitFor();
      await chain.getByRole('link', { name: PEOPLE[0]!.name }).waitFor();
      expect(((await chain.textContent()) ?? '').includes(SUBUNIT.name), 'the chain names the team');
      await page.screenshot({ path: path.join(RESULTS, 'desktop-person.png') });
    });

    await check('switching to English translates the UI and tells the server (cookie)', async () => {
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('lang-en').click();
      await page.getByRole('menuitem', { name: 'Organization' }).waitFor();
      await page.getByText('Reporting chain').first().waitFor();
      expect((await page.evaluate(() => document.documentElement.lang)) === 'en', 'html lang=en');
      const cookies = await desktop.cookies(base);
      expect(
        cookies.some((c) => c.name === 'liaison_lang' && c.value === 'en'),
        'liaison_lang=en cookie',
      );
    });

    await check('the audit log lists the unit creation and the import (Audit log)', async () => {
      await page.getByRole('menuitem', { name: 'Audit log' }).click();
      await page.waitForURL('**/audit');
      const table = page.getByTestId('audit-table');
      await table.getByText('Create unit', { exact: true }).first().waitFor();
      await table.getByText('Import', { exact: true }).first().waitFor();
      await table.getByText('Initial setup', { exact: true }).first().waitFor();
      // The import's own entries, found through the action filter.
      await page.goto(`${base}/audit?action=person.import_create`);
      await table.getByText('Import: add person', { exact: true }).first().waitFor();
      const rows = await table.locator('tbody tr.ant-table-row').count();
      expect(rows === PEOPLE.length, `${rows} person.import_create rows`);
      await page.goto(`${base}/audit`);
      await table.getByText('Create unit', { exact: true }).first().waitFor();
      // Expand the unit creation: the "after" values are shown.
      const unitRow = table
        .locator('tr.ant-table-row')
        .filter({ has: page.getByText('Create unit', { exact: true }) })
        .first();
      await unitRow.locator('.ant-table-row-expand-icon').click();
      await table.getByText(UNIT.code, { exact: true }).first().waitFor();
      const width = await table.evaluate((el) => el.querySelector('table')?.getBoundingClientRect().width ?? 0);
      expect(width < 2000, `the expanded row keeps the table narrow (table is ${Math.round(width)} px wide)`);
      await page.screenshot({ path: path.join(RESULTS, 'desktop-audit-en.png') });
    });

    await check('the audit hash chain verifies (Verify hash chain)', async () => {
      await page.getByTestId('verify-chain').click();
      const result = page.getByTestId('verify-result');
      await result.waitFor();
      const text = (await result.textContent()) ?? '';
      expect(/intact/.test(text), text);
    });

    await check('the phone layout works at 375 px (drawer menu, cards, no sideways scrolling)', async () => {
      // Same session, Chinese UI (without the language cookie the first choice is 中文).
      const state = await desktop.storageState();
      const phone = await browser!.newContext({
        viewport: { width: 375, height: 812 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'zh-CN',
        storageState: { cookies: state.cookies.filter((c) => c.name !== 'liaison_lang'), origins: [] },
      });
      phone.setDefaultTimeout(10_000);
      try {
        const p = await phone.newPage();
        p.on('pageerror', (e) => pageErrors.push(e.message));
        await p.goto(`${base}/calendar?year=2026`);
        await p.getByTestId('year-grid').waitFor();
        expect((await p.locator('.ant-layout-sider').count()) === 0, 'no side menu on a phone');
        await noHorizontalOverflow(p);
        const makeup = p.locator('[data-date="2026-02-14"]');
        expect(
          (await makeup.getAttribute('data-kind')) === 'makeup' && ((await makeup.textContent()) ?? '').includes('班'),
          '2026-02-14 is a make-up working day (班)',
        );
        expect((await p.locator('[data-date="2026-10-01"]').getAttribute('data-kind')) === 'holiday', '2026-10-01 is a holiday');
        await p.screenshot({ path: path.join(RESULTS, 'phone-375.png') });
        await p.getByTestId('menu-button').click();
        const drawer = p.locator('.ant-drawer-open');
        await drawer.getByRole('menuitem', { name: '人员' }).click();
        await p.waitForURL('**/people');
        await p.getByTestId('people-cards').getByText(PEOPLE[0]!.name).waitFor();
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-people.png') });
      } finally {
        await phone.close();
      }
    });

    await check('no uncaught errors in the pages', async () => {
      expect(pageErrors.length === 0, pageErrors.join('\n'));
    });
    await desktop.close();
    fs.rmSync(tmpFiles, { recursive: true, force: true });
  } finally {
    await browser?.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => {
        const timer = setTimeout(() => {
          server?.kill('SIGKILL');
          r(null);
        }, 3000);
        server?.once('exit', () => {
          clearTimeout(timer);
          r(null);
        });
      });
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return results.some((r) => !r.ok) ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (e) {
  results.push({ name: 'journey', ok: false, ms: 0, error: String(e) });
  console.log(`  ✗ journey aborted: ${e instanceof Error ? e.stack : String(e)}`);
  code = 1;
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`\nbrowser journey in ${((Date.now() - STARTED) / 1000).toFixed(1)} s; screenshots in test-results/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || code !== 0 ? 1 : 0);
