/**
 * Browser journey (npm run test:e2e): a real server on a fresh SQLite database, Debian chromium
 * driven by playwright-core, the built UI from dist/web.
 *
 *   setup → logged in → create a unit → download the template → an invalid file is refused row by
 *   row → import people from an .xlsx (with progress) → they are listed, with a reporting chain →
 *   switch to English → the audit log shows the unit creation and the import → hash chain verifies →
 *   the phone layout at 375 px →
 *   the work contact form (工作联系单) in Chinese, each person in their own browser: 张起草 drafts it and
 *   submits it → 李签发 sees it in 待办 (and the bell) and signs it out → 王检修 signs for it naming
 *   赵师傅 → 赵师傅 files the reply → 张起草 accepts it (已销号) → timeline, print view, PDF → the 待办
 *   inbox as cards on a 375 px phone → the time to the inbox's first paint (printed in a block of its own) →
 *   the bell → two article forms with no web code of their own (异常汇报, 预防丢煤通知单) created and
 *   acknowledged through the generated form and dialogs on a 375 px phone.
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
import { type APIRequestContext, type Browser, type BrowserContext, chromium, type Page, request } from 'playwright-core';

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

/** The work contact form part: two departments under the root and four people (set up through the API). */
const CF_UNITS = { ops: { code: 'FDB', name: '发电部' }, maint: { code: 'JXB', name: '检修部' } } as const;
type CfKey = 'drafter' | 'leader' | 'receiver' | 'worker';
const CF_PEOPLE: Record<CfKey, { name: string; username: string; role: string; unit: keyof typeof CF_UNITS }> = {
  drafter: { name: '张起草', username: 'zhangqc', role: 'staff', unit: 'ops' },
  leader: { name: '李签发', username: 'liqf', role: 'unit_head', unit: 'ops' },
  receiver: { name: '王检修', username: 'wangjx', role: 'unit_head', unit: 'maint' },
  worker: { name: '赵师傅', username: 'zhaosf', role: 'staff', unit: 'maint' },
};
const CF_TEMP_PASSWORD = 'Temp2026x';
const CF_PASSWORD = 'Liaison2026x';
const CF_TITLE = '检修1号机组给水泵前置泵';
const CF_BODY = '1号机组给水泵前置泵振动偏大，请检修部安排解体检查，更换轴承并回复处理结果。';
const SHANGHAI = 'Asia/Shanghai';
/** The form's number carries the year of the server's clock (the real one here) in the organization's time zone. */
const CF_YEAR = new Intl.DateTimeFormat('en', { timeZone: SHANGHAI, year: 'numeric' }).format(new Date());
/** YYYY-MM-DD, `days` from today in the organization's time zone. */
const dayFromToday = (days: number) => new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI }).format(new Date(Date.now() + days * 86_400_000));

// ---------------------------------------------------------------- checks

const results: { name: string; ok: boolean; ms: number; error?: string }[] = [];
/** Pages open at the moment, by who uses them: a failed check leaves a screenshot of each (test-results/failed-*.png). */
const openPages = new Map<string, Page>();
/** API answers ≥ 400 the pages received since the last check: a failed check prints them (what a screenshot cannot show). */
const refusedCalls: string[] = [];

async function check(name: string, fn: () => Promise<void>): Promise<boolean> {
  const t0 = Date.now();
  refusedCalls.length = 0;
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
    return true;
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n      ') : String(e);
    results.push({ name, ok: false, ms: Date.now() - t0, error });
    console.log(`  ✗ ${name} (${Date.now() - t0} ms)\n      ${error}`);
    if (refusedCalls.length) console.log(`      API answers ≥ 400 during it:\n        ${refusedCalls.slice(-10).join('\n        ')}`);
    for (const [who, p] of openPages)
      if (!p.isClosed()) await p.screenshot({ path: path.join(RESULTS, `failed-${results.length}-${who}.png`), timeout: 5000 }).catch(() => {});
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

/**
 * Other processes may rebuild dist/web while the journey runs (`npm test` builds it first). The server
 * learnt the file names at start-up, so after a rebuild with new hashes it answers index.html for the
 * new chunks, and during the build the old ones are missing: blank pages that are no fault of the UI.
 * So once a rebuild is seen, the browsers get the UI from a copy of dist/web taken at the start;
 * until then every request goes to the server untouched.
 */
const web = {
  dir: path.join(ROOT, 'dist/web'),
  snapshot: null as string | null,
  rebuilt: false,
  watcher: null as fs.FSWatcher | null,
  /** Requests the copy answered. */
  served: 0,
  start() {
    this.snapshot = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-web-'));
    fs.cpSync(this.dir, this.snapshot, { recursive: true });
    this.watcher = fs.watch(this.dir, () => {
      this.rebuilt = true;
    });
  },
  stop() {
    this.watcher?.close();
    if (this.snapshot) fs.rmSync(this.snapshot, { recursive: true, force: true });
  },
  async guard(ctx: BrowserContext, base: string) {
    await ctx.route(
      (url) => url.origin === base && !url.pathname.startsWith('/api/'),
      async (route) => {
        if (!this.rebuilt || !this.snapshot) return route.continue();
        const rel = decodeURIComponent(new URL(route.request().url()).pathname).replace(/^\/+/, '');
        const file = path.join(this.snapshot, rel);
        this.served++;
        // Files by name; any other path is the single-page app's.
        return route.fulfill({ path: rel && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(this.snapshot, 'index.html') });
      },
    );
  },
};

/** A JSON call to /api/v1 with the session of `req` (a context's cookies), with the CSRF token the server gave that session. */
async function apiJson<T = Record<string, unknown>>(req: APIRequestContext, base: string, method: string, apiPath: string, data?: unknown): Promise<T> {
  const me = await req.get(`${base}/api/v1/auth/me`);
  expect(me.ok(), `GET /auth/me: ${me.status()}`);
  const { csrfToken } = (await me.json()) as { csrfToken: string | null };
  expect(csrfToken, 'a CSRF token for the session');
  const res = await req.fetch(`${base}/api/v1${apiPath}`, { method, data, headers: { 'x-csrf-token': csrfToken } });
  expect(res.ok(), `${method} ${apiPath}: ${res.status()} ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as T;
}

/** The first login of a new account: the forced password change, done through the API. */
async function firstPasswordChange(base: string, username: string) {
  const api = await request.newContext({ baseURL: base });
  try {
    const login = await api.post('/api/v1/auth/login', { data: { username, password: CF_TEMP_PASSWORD } });
    expect(login.ok(), `login ${username}: ${login.status()} ${await login.text()}`);
    const me = (await login.json()) as { csrfToken: string; mustChangePassword: boolean };
    expect(me.mustChangePassword, `${username} must change the password first`);
    const change = await api.post('/api/v1/auth/password', {
      data: { currentPassword: CF_TEMP_PASSWORD, newPassword: CF_PASSWORD },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(change.ok(), `password change ${username}: ${change.status()} ${await change.text()}`);
  } finally {
    await api.dispose();
  }
}

/** Logs someone in through the login page, in a browser context of their own; lands on 待办事项. */
async function loginAs(browser: Browser, base: string, who: CfKey, pageErrors: string[]): Promise<{ ctx: BrowserContext; page: Page }> {
  // People in China: local times on screen are the organization's (Asia/Shanghai), whatever this machine's zone.
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: SHANGHAI, acceptDownloads: true });
  ctx.setDefaultTimeout(15_000);
  await web.guard(ctx, base);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${CF_PEOPLE[who].name}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.url().includes('/api/'))
      refusedCalls.push(`${CF_PEOPLE[who].name}: ${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
  });
  openPages.set(CF_PEOPLE[who].username, page);
  // E2E_CPU_THROTTLE=4: these browsers run 4× slower (a loaded machine), to show the checks wait rather than race.
  const throttle = Number(process.env.E2E_CPU_THROTTLE ?? 1);
  if (throttle > 1) await (await ctx.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
  page.on('close', () => openPages.delete(CF_PEOPLE[who].username));
  await page.goto(`${base}/login`);
  await page.fill('#login_username', CF_PEOPLE[who].username);
  await page.fill('#login_password', CF_PASSWORD);
  await antdButton(page, '登录').click();
  await page.waitForURL('**/cases');
  await page.getByRole('menuitem', { name: '发起联系单' }).waitFor();
  return { ctx, page };
}

/** The visible dialog of a case action (ActionDialog), opened by its button on the detail page. */
async function openAction(page: Page, action: string) {
  await page.locator(`[data-action="${action}"]`).click();
  const dialog = page.getByRole('dialog').filter({ visible: true });
  await dialog.waitFor();
  return dialog;
}

/** Confirms the dialog (its OK button carries the action's label) and waits until it is gone. */
async function confirmAction(dialog: ReturnType<Page['locator']>) {
  await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
  await dialog.waitFor({ state: 'hidden' });
}

/** A timeline entry of the case detail: its label tag (exactly) and who did it. */
const timelineEvent = (page: Page, label: string, actor: string) =>
  page
    .getByTestId('timeline-event')
    .filter({ has: page.locator('.ant-tag', { hasText: new RegExp(`^${label}$`) }) })
    .filter({ hasText: actor });

/** An option of the open antd Select dropdown. */
const selectOption = (page: Page, text: string) =>
  page.locator('.ant-select-dropdown').filter({ visible: true }).locator('.ant-select-item-option').filter({ hasText: text }).first();

// ---------------------------------------------------------------- the work contact form (工作联系单)

/**
 * The contact form end to end, in Chinese, each person in their own browser context (own cookies),
 * everything they do through the UI. Only the organization (by the administrator) and the second
 * form for the phone inbox are made through the API.
 */
async function contactFormJourney(browser: Browser, base: string, admin: Page, pageErrors: string[]) {
  const sessions: Partial<Record<CfKey, { ctx: BrowserContext; page: Page }>> = {};
  const as = async (who: CfKey) => {
    sessions[who] ??= await loginAs(browser, base, who, pageErrors);
    return sessions[who].page;
  };
  const number = `LXD-${CF_YEAR}-0001`;
  let caseId: number | null = null;
  const needCase = () => {
    expect(caseId, 'no contact form to work on (an earlier step failed)');
    return caseId;
  };
  const openFromTodo = async (page: Page) => {
    await page.goto(`${base}/cases`);
    const table = page.getByTestId('cases-table');
    await table.getByRole('link', { name: number }).click();
    await page.waitForURL(`**/cases/${needCase()}`);
    await page.getByTestId('case-number').filter({ hasText: number }).waitFor();
  };

  try {
    const ready = await check('contact form setup through the API: 发电部, 检修部 and four people whose first password change is done', async () => {
      const req = admin.request;
      const units = await apiJson<{ id: number; parentId: number | null }[]>(req, base, 'GET', '/units');
      const root = units.find((u) => u.parentId === null);
      expect(root, 'the root unit');
      const unitIds = {} as Record<keyof typeof CF_UNITS, number>;
      for (const [key, u] of Object.entries(CF_UNITS) as [keyof typeof CF_UNITS, { code: string; name: string }][]) {
        unitIds[key] = (
          await apiJson<{ id: number }>(req, base, 'POST', '/units', { parentId: root.id, typeCode: 'department', code: u.code, name: u.name })
        ).id;
      }
      for (const p of Object.values(CF_PEOPLE)) {
        const person = await apiJson<{ id: number }>(req, base, 'POST', '/people', { name: p.name, unitId: unitIds[p.unit], roleCode: p.role });
        await apiJson(req, base, 'POST', '/accounts', { personId: person.id, username: p.username, password: CF_TEMP_PASSWORD });
        await firstPasswordChange(base, p.username);
      }
    });
    if (!ready) return;

    await check(
      `张起草 saves a half-written form (发起联系单 → 保存草稿: title and text only); 提交签发 opens it for editing with the missing fields named; completed, it goes: ${number}`,
      async () => {
        const page = await as('drafter');
        await page.getByRole('menuitem', { name: '发起联系单' }).click();
        await page.waitForURL('**/cases/new');
        await page.getByRole('heading', { name: '发起工作联系单' }).waitFor();
        await page.locator('#case-form_title').fill(CF_TITLE);
        await page.locator('#case-form_body').fill(CF_BODY);
        await page.getByTestId('save-draft').click();
        await page.waitForURL(/\/cases\/\d+$/);
        caseId = Number(new URL(page.url()).pathname.split('/').pop());
        await page.getByTestId('case-number').filter({ hasText: number }).waitFor();
        await page
          .locator('.ant-tag')
          .filter({ hasText: /^草稿$/ })
          .first()
          .waitFor();

        // 提交签发 before it is complete: the edit dialog opens with the missing fields marked.
        await (await openAction(page, 'submit')).locator('.ant-modal-footer .ant-btn-primary').click();
        const edit = page.getByRole('dialog').filter({ visible: true }).filter({ hasText: '编辑联系单' });
        await edit.waitFor();
        await edit.locator('.ant-form-item-has-error #case-edit_dueDate').waitFor();
        expect((await page.locator('#case-edit_title').inputValue()) === CF_TITLE, 'the saved title is in the edit form');
        await page.locator('.ant-modal.ant-zoom-leave').waitFor({ state: 'detached' });
        await page.screenshot({ path: path.join(RESULTS, 'desktop-draft-incomplete.png') });

        const due = dayFromToday(21);
        await page.locator('#case-edit_dueDate').click();
        await page.locator('#case-edit_dueDate').fill(due);
        await page.locator('#case-edit_dueDate').press('Enter');
        expect((await page.locator('#case-edit_dueDate').inputValue()) === due, `完成时限 ${due}`);
        // 收单单位: 检修部 from the organization tree, as 主办 (the first row's role).
        await page.locator('#case-edit_receivers_0_unitId').click();
        await page.locator('.unit-tree-select-popup').filter({ visible: true }).getByTitle(CF_UNITS.maint.name, { exact: true }).click();
        const row = edit.getByTestId('receiver-row').first();
        await row.locator('.ant-select-content, .ant-select-selection-item').filter({ hasText: CF_UNITS.maint.name }).first().waitFor();
        await row.locator('.ant-radio-button-wrapper-checked').filter({ hasText: '主办' }).waitFor();
        // 签发领导: the leaders of 发电部.
        await page.locator('#case-edit_signingLeaderPersonId').click();
        await selectOption(page, CF_PEOPLE.leader.name).click();
        await edit.locator('.ant-modal-footer .ant-btn-primary').click();
        await edit.waitFor({ state: 'hidden' });

        await confirmAction(await openAction(page, 'submit'));
        await page
          .locator('.ant-tag')
          .filter({ hasText: /^待签发$/ })
          .first()
          .waitFor();
        await timelineEvent(page, '提交签发', CF_PEOPLE.drafter.name).waitFor();
        expect(((await page.getByTestId('case-number').textContent()) ?? '').includes(number), `the number ${number} is shown`);
      },
    );

    await check('李签发 has it in 待办 with an unread notification (bell ≥ 1) and signs it out (签发)', async () => {
      const page = await as('leader');
      const bell = page.locator('[data-testid="notification-bell"][aria-label*="条未读"]');
      await bell.waitFor();
      const unread = Number(/(\d+)\s*条未读/.exec((await bell.getAttribute('aria-label')) ?? '')?.[1] ?? 0);
      expect(unread >= 1, `the bell shows ${unread} unread`);
      await openFromTodo(page);
      const dialog = await openAction(page, 'issue');
      await confirmAction(dialog);
      await page
        .locator('.ant-tag')
        .filter({ hasText: /^已签发$/ })
        .first()
        .waitFor();
      await timelineEvent(page, '签发', CF_PEOPLE.leader.name).waitFor();
      expect((await page.locator('[data-action="issue"]').count()) === 0, 'signed only once');
    });

    await check('the sign-or-object deadline (签收/异议期限) is shown with its working-day explanation (工作日)', async () => {
      needCase();
      const page = await as('leader');
      const line = page.getByTestId('deadline-sign').first();
      await line.getByText('签收/异议期限').waitFor();
      await line.getByTestId('countdown').waitFor();
      await line.getByRole('button', { name: '期限计算过程' }).click();
      const explanation = page.getByTestId('deadline-explanation').filter({ visible: true });
      await explanation.waitFor();
      const text = (await explanation.textContent()) ?? '';
      expect(text.includes('工作日'), `the explanation speaks of working days: ${text}`);
      await page.keyboard.press('Escape');
    });

    await check('王检修 has it in 待办 with a countdown and signs for it (签收), naming 赵师傅 as handler', async () => {
      const page = await as('receiver');
      const table = page.getByTestId('cases-table');
      const row = table.locator('tr.ant-table-row').filter({ hasText: number });
      // The main badge is his task and its countdown (issue 8): "待我签收 · 剩 …".
      const badge = row.getByTestId('task-badge');
      await badge.waitFor();
      const said = (await badge.textContent()) ?? '';
      expect(/^待我签收 · (剩|已超期)/.test(said), `the task badge says what he must do and by when: ${said}`);
      await openFromTodo(page);
      const dialog = await openAction(page, 'sign');
      await dialog.getByText(`签收（${CF_UNITS.maint.name}）`).waitFor();
      await dialog.locator('.ant-select').click();
      await selectOption(page, CF_PEOPLE.worker.name).click();
      await dialog.locator('.ant-select').filter({ hasText: CF_PEOPLE.worker.name }).waitFor();
      await confirmAction(dialog);
      const part = page.locator('[data-testid^="part-"]').filter({ hasText: CF_UNITS.maint.name });
      await part.getByText(CF_PEOPLE.worker.name).waitFor();
      await part
        .locator('.ant-tag')
        .filter({ hasText: /^办理中$/ })
        .waitFor();
      await timelineEvent(page, '签收', CF_PEOPLE.receiver.name).filter({ hasText: CF_PEOPLE.worker.name }).waitFor();
    });

    await check('王检修 is offered only what a receiving unit may do (no 签发, 提交签发, 撤回, 编辑, 验收销号)', async () => {
      needCase();
      const page = await as('receiver');
      await page.locator('[data-action="reply"]').waitFor();
      for (const action of ['issue', 'submit', 'withdraw', 'send_back', 'accept', 'return', 'sign'])
        expect((await page.locator(`[data-action="${action}"]`).count()) === 0, `no ${action} button for 王检修`);
      expect((await page.getByTestId('edit-case').count()) === 0, 'no 编辑 button for 王检修');
    });

    await check('赵师傅 has it in 待办 and files the reply (填写回复单)', async () => {
      const page = await as('worker');
      await openFromTodo(page);
      const dialog = await openAction(page, 'reply');
      await dialog.locator('textarea').fill('已解体检查前置泵，更换驱动端轴承，试运振动合格。');
      await confirmAction(dialog);
      await timelineEvent(page, '填写回复单', CF_PEOPLE.worker.name).waitFor();
      await page
        .locator('[data-testid^="part-"]')
        .locator('.ant-tag')
        .filter({ hasText: /^已回复待审核$/ })
        .waitFor();
    });

    await check('张起草 accepts it (验收销号): 已销号, and the timeline names who signed out, signed for, replied and accepted', async () => {
      const page = await as('drafter');
      await page.goto(`${base}/cases/${needCase()}`);
      const dialog = await openAction(page, 'accept');
      await confirmAction(dialog);
      await page
        .locator('.ant-tag')
        .filter({ hasText: /^已销号$/ })
        .first()
        .waitFor();
      await page.getByText('销号时间').waitFor();
      for (const [label, who] of [
        ['签发', CF_PEOPLE.leader.name],
        ['签收', CF_PEOPLE.receiver.name],
        ['填写回复单', CF_PEOPLE.worker.name],
        ['验收销号', CF_PEOPLE.drafter.name],
      ] as const)
        await timelineEvent(page, label, who).waitFor();
      const labels = await page.getByTestId('timeline-event').locator('.ant-tag').allTextContents();
      const order = ['起草', '提交签发', '签发', '签收', '填写回复单', '验收销号'].map((l) => labels.indexOf(l));
      expect(
        order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!)),
        `the timeline, oldest first: ${labels.join(' → ')}`,
      );
      expect((await page.locator('[data-action]').count()) === 0, 'nothing left to do on a closed form');
      await page.screenshot({ path: path.join(RESULTS, 'desktop-case.png'), fullPage: true });
    });

    await check('the print view (打印) shows the number and 李签发; the PDF answers application/pdf', async () => {
      const id = needCase();
      const page = await as('drafter');
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.locator(`a[href="/api/v1/cases/${id}/print"]`).click()]);
      await popup.waitForLoadState();
      const text = (await popup.locator('body').textContent()) ?? '';
      expect(text.includes(number) && text.includes(CF_PEOPLE.leader.name), `print view: ${text.slice(0, 300)}`);
      await popup.close();
      const [response, download] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/cases/${id}/print.pdf`), { timeout: 30_000 }),
        page.waitForEvent('download', { timeout: 30_000 }),
        page.getByRole('button', { name: 'PDF' }).click(),
      ]);
      expect(response.status() === 200, `PDF: HTTP ${response.status()}`);
      expect((response.headers()['content-type'] ?? '').startsWith('application/pdf'), `content-type ${response.headers()['content-type']}`);
      expect(download.suggestedFilename().endsWith('.pdf'), `file name ${download.suggestedFilename()}`);
    });

    await check('the 待办 inbox at 375 px: 王检修 sees a second form as a card with a countdown, no sideways scrolling', async () => {
      needCase();
      // A second form, drafted, submitted and signed out through the API by the same people.
      const drafter = await as('drafter');
      const leader = await as('leader');
      const first = await apiJson<{ fields: Record<string, unknown>; initiatorUnit: { id: number } }>(drafter.request, base, 'GET', `/cases/${needCase()}`);
      const second = await apiJson<{ id: number; number: string }>(drafter.request, base, 'POST', '/cases', {
        type: 'contact_form',
        initiatorUnitId: first.initiatorUnit.id,
        fields: { ...first.fields, title: '2号机组凝结水泵检修配合', dueDate: dayFromToday(28) },
      });
      await apiJson(drafter.request, base, 'POST', `/cases/${second.id}/actions`, { action: 'submit' });
      await apiJson(leader.request, base, 'POST', `/cases/${second.id}/actions`, { action: 'issue' });

      await as('receiver');
      const state = await sessions.receiver!.ctx.storageState();
      const { phone, p } = await phoneSession(browser, base, state, pageErrors);
      try {
        await p.goto(`${base}/cases`);
        const cards = p.getByTestId('cases-cards');
        const card = cards.getByTestId(`case-card-${second.id}`);
        // The card's main badge is the user's task and its countdown (issue 8): "待我签收 · 剩 …".
        await card.getByTestId('task-badge').waitFor();
        expect(((await card.textContent()) ?? '').includes(second.number), `the card shows ${second.number}`);
        expect((await p.getByTestId('cases-table').count()) === 0, 'cards, not a table, on a phone');
        expect((await cards.getByText(number).count()) === 0, `the closed ${number} is no longer in 待办`);
        expect((await p.locator('.ant-layout-sider').count()) === 0, 'no side menu on a phone');
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-inbox.png') });

        // ---- issue 8 (cases): the phone's sticky action bar and its folded filters
        expect((await p.getByTestId('case-filters').count()) === 0, 'the inbox filters are folded away on a phone');
        await card.click();
        await p.waitForURL(`**/cases/${second.id}`);
        const bar = p.getByTestId('case-action-bar');
        await bar.waitFor();
        expect((await bar.locator('button').count()) > 0, 'the action bar offers the actions the user may take');
        await p.mouse.wheel(0, 1500);
        const box = await bar.boundingBox();
        expect(!!box && box.y >= 0 && box.y < 140, 'the action bar stays at the top while the page scrolls');
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-case-actions.png') });
      } finally {
        await phone.close();
      }
    });

    await check('the time to the 待办 inbox’s first paint is recorded (cold cache, then warm)', async () => {
      await as('receiver');
      firstPaint = await measureInboxFirstPaint(browser, base, await sessions.receiver!.ctx.storageState(), pageErrors);
    });
  } finally {
    for (const s of Object.values(sessions)) await s.ctx.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- first paint of the inbox (issue 8)

interface PaintLoad {
  /** The browser's first-contentful-paint, ms after navigation start. */
  fcp: number | null;
  /** The inbox's first row painted (the frame after it is in the DOM), ms after navigation start. */
  inbox: number;
  requests: number;
  /** Bytes over the wire for the page's scripts and styles (compressed), and what they unpack to. */
  transferred: number;
  decoded: number;
  fromCache: number;
}
let firstPaint: { cold: PaintLoad; warm: PaintLoad } | null = null;

/**
 * Opens 待办 in a browser with an empty cache, logged in, on a desktop viewport, and times it until
 * the first row is painted; then once more in the same browser, with the assets in its cache.
 * Without routing when the build did not change (Playwright's routing turns the HTTP cache off).
 */
async function measureInboxFirstPaint(browser: Browser, base: string, storageState: Awaited<ReturnType<BrowserContext['storageState']>>, pageErrors: string[]) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: SHANGHAI, storageState });
  ctx.setDefaultTimeout(15_000);
  if (web.rebuilt) await web.guard(ctx, base);
  try {
    const load = async (): Promise<PaintLoad> => {
      const p = await ctx.newPage();
      p.on('pageerror', (e) => pageErrors.push(`first paint: ${e.message}`));
      await p.goto(`${base}/cases`, { waitUntil: 'commit' });
      await p.getByTestId('cases-table').locator('.ant-table-row').first().waitFor();
      const m = await p.evaluate(
        () =>
          new Promise<Omit<PaintLoad, 'fcp'> & { fcp: number | null }>((resolve) =>
            requestAnimationFrame(() => {
              const inbox = performance.now();
              const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null;
              const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
              const assets = res.filter((r) => new URL(r.name).pathname.startsWith('/assets/'));
              resolve({
                fcp,
                inbox,
                requests: res.length + 1,
                transferred: assets.reduce((n, r) => n + r.transferSize, 0),
                decoded: assets.reduce((n, r) => n + r.decodedBodySize, 0),
                fromCache: assets.filter((r) => r.transferSize === 0 && r.decodedBodySize > 0).length,
              });
            }),
          ),
      );
      await p.close();
      return m;
    };
    const cold = await load();
    const warm = await load();
    expect(cold.inbox > 0 && warm.inbox > 0, 'both loads painted the inbox');
    return { cold, warm };
  } finally {
    await ctx.close();
  }
}

function printFirstPaint() {
  if (!firstPaint) return;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  const line = (label: string, m: PaintLoad) =>
    `  ${label}  first contentful paint ${m.fcp === null ? '—' : `${Math.round(m.fcp)} ms`}, inbox painted ${Math.round(m.inbox)} ms; ` +
    `${m.requests} requests, assets ${kb(m.transferred)} over the wire (${kb(m.decoded)} unpacked), ${m.fromCache} from the cache`;
  console.log('\n── time to the 待办 inbox’s first paint (王检修, 1366×860, after navigation start) ──');
  console.log(line('cold cache:', firstPaint.cold));
  console.log(line('warm cache:', firstPaint.warm));
  console.log('──');
}

// ---------------------------------------------------------------- the bell (issue 8, first use 1)

/**
 * The unread count as the server has it, once the bell shows the same (its label: "通知 3 条未读",
 * none when 0): the bell asks on its own after a page load, so this waits for it to agree.
 */
async function bellCount(page: Page, base: string): Promise<number> {
  const { unread } = await apiJson<{ unread: number }>(page.request, base, 'GET', '/notifications/unread');
  await page.getByTestId('notification-bell').waitFor();
  await page.waitForFunction(
    (n) => {
      const label = document.querySelector('[data-testid="notification-bell"]')?.getAttribute('aria-label') ?? '';
      return n === 0 ? !label.includes('条未读') : label.includes(`${n} 条未读`);
    },
    unread,
    { timeout: 15_000 },
  );
  return unread;
}

/**
 * The bell means what still needs me: a notification arrives, doing what it asked reads it (for the
 * whole unit), and 全部标为已读 reads the rest. Uses the contact-form people; a new form is drafted,
 * submitted and issued through the API, the reading is seen in the browsers.
 */
async function bellJourney(browser: Browser, base: string, pageErrors: string[]) {
  const sessions: Partial<Record<CfKey, { ctx: BrowserContext; page: Page }>> = {};
  const as = async (who: CfKey) => {
    sessions[who] ??= await loginAs(browser, base, who, pageErrors);
    return sessions[who].page;
  };
  const title = '3号机组循环水泵出口阀检修';
  let form: { id: number; number: string; partId: number } | null = null;
  try {
    await check('the bell: 王检修 is told a form was issued to 检修部 (签收或提出异议), the bell counts it', async () => {
      const drafter = await as('drafter');
      const leader = await as('leader');
      const receiver = await as('receiver');
      const before = await bellCount(receiver, base);
      const units = await apiJson<{ id: number; name: string }[]>(drafter.request, base, 'GET', '/cases/receiver-units');
      const maint = units.find((u) => u.name === CF_UNITS.maint.name);
      const ops = units.find((u) => u.name === CF_UNITS.ops.name);
      expect(maint && ops, 'the units of the contact form');
      const leaders = await apiJson<{ id: number; name: string }[]>(drafter.request, base, 'GET', `/cases/signing-leaders?unitId=${ops.id}`);
      const signer = leaders.find((l) => l.name === CF_PEOPLE.leader.name);
      expect(signer, 'the signing leader');
      const created = await apiJson<{ id: number; number: string }>(drafter.request, base, 'POST', '/cases', {
        type: 'contact_form',
        initiatorUnitId: ops.id,
        fields: {
          title,
          body: '3号机组循环水泵出口阀内漏，请检修部解体检修并回复。',
          dueDate: dayFromToday(21),
          receivers: [{ unitId: maint.id, role: 'main' }],
          signingLeaderPersonId: signer.id,
        },
      });
      await apiJson(drafter.request, base, 'POST', `/cases/${created.id}/actions`, { action: 'submit' });
      const issued = await apiJson<{ parts: { id: number }[] }>(leader.request, base, 'POST', `/cases/${created.id}/actions`, { action: 'issue' });
      form = { ...created, partId: issued.parts[0]!.id };
      await receiver.reload();
      const after = await bellCount(receiver, base);
      expect(after === before + 1, `the bell went from ${before} to ${after}`);
      await receiver.getByTestId('notification-bell').click();
      const panel = receiver.getByTestId('notification-panel').filter({ visible: true });
      await panel.getByText(title, { exact: false }).first().waitFor();
      expect(((await panel.textContent()) ?? '').includes('签收或提出异议'), 'the notification says what to do');
      await receiver.screenshot({ path: path.join(RESULTS, 'desktop-bell.png') });
      await receiver.keyboard.press('Escape');
    });

    await check('the bell: once 检修部 signed for it, the notification asking to sign is read, though it was never opened', async () => {
      expect(form, 'no form (an earlier step failed)');
      const receiver = await as('receiver');
      const before = await bellCount(receiver, base);
      const members = await apiJson<{ id: number; name: string }[]>(receiver.request, base, 'GET', `/cases/${form.id}/parts/${form.partId}/members`);
      const worker = members.find((m) => m.name === CF_PEOPLE.worker.name);
      expect(worker, '赵师傅 among the members of 检修部');
      // Signed through the API: the browser never opens the case, so only the action can read the notification.
      await apiJson(receiver.request, base, 'POST', `/cases/${form.id}/actions`, {
        action: 'sign',
        partId: form.partId,
        input: { handlerPersonId: worker.id },
      });
      await receiver.reload();
      const after = await bellCount(receiver, base);
      expect(after === before - 1, `the bell went from ${before} to ${after}`);
      await receiver.getByTestId('notification-bell').click();
      const panel = receiver.getByTestId('notification-panel').filter({ visible: true });
      await panel.waitFor();
      expect(((await panel.textContent()) ?? '').includes(title) === false, 'the request to sign is no longer unread');
      await receiver.keyboard.press('Escape');
    });

    await check('the bell: 张起草 reads what only informs with 全部标为已读; the count is gone, on the desktop and at 375 px', async () => {
      expect(form, 'no form (an earlier step failed)');
      const drafter = await as('drafter');
      await drafter.reload();
      const before = await bellCount(drafter, base);
      expect(before >= 2, `张起草 was told the form was issued and signed for: ${before} unread`);
      await drafter.getByTestId('notification-bell').click();
      const panel = drafter.getByTestId('notification-panel').filter({ visible: true });
      await panel.getByRole('button', { name: '全部标为已读' }).click();
      await panel.getByText('没有未读通知').waitFor();
      // The server and the bell agree: nothing unread.
      expect((await bellCount(drafter, base)) === 0, 'no unread notification left');
      await drafter.keyboard.press('Escape');

      const state = await sessions.drafter!.ctx.storageState();
      const { phone, p } = await phoneSession(browser, base, state, pageErrors);
      try {
        await p.goto(`${base}/cases`);
        expect((await bellCount(p, base)) === 0, 'the phone shows no unread notification either');
        await p.getByTestId('notification-bell').click();
        const drawer = p.locator('.ant-drawer-open');
        await drawer.getByText('没有未读通知').waitFor();
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-bell.png') });
      } finally {
        await phone.close();
      }
    });
  } finally {
    for (const s of Object.values(sessions)) await s.ctx.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- the article-1 and article-2 forms (issue 9 §9)

/**
 * Two of the forms with no web code of their own, created and acted on through the form, field view
 * and action dialogs the web builds from GET /case-types, on a 375 px phone: an anomaly report
 * (异常汇报, seed 1 5.3.3) from 检修部 to 发电部, acknowledged there; a coal loss prevention notice
 * (预防丢煤通知单, seed 2 三.1) from 发电部 to 检修部, reported to 李签发 and acknowledged.
 */
async function articleFormsJourney(browser: Browser, base: string, pageErrors: string[]) {
  const sessions: Partial<Record<CfKey, { ctx: BrowserContext; page: Page }>> = {};
  const phoneOf = async (who: CfKey) => {
    sessions[who] ??= await loginAs(browser, base, who, pageErrors);
    return phoneSession(browser, base, await sessions[who].ctx.storageState(), pageErrors);
  };
  /** Fills the generated create form's common parts, sends it with the primary button and lands on the case. */
  const send = async (p: Page) => {
    await p.getByTestId('submit-case').click();
    await p.waitForURL(/\/cases\/\d+$/);
    await p.getByTestId('case-number').waitFor();
    return Number(new URL(p.url()).pathname.split('/').pop());
  };
  const pickUnit = async (p: Page, id: string, name: string) => {
    await p.locator(id).click();
    await p.locator('.unit-tree-select-popup').filter({ visible: true }).getByTitle(name, { exact: true }).click();
  };
  /** An action through the sticky action bar's button and its generated dialog. */
  const actOnPhone = async (p: Page, action: string, fill?: (dialog: ReturnType<Page['locator']>) => Promise<void>) => {
    const bar = p.getByTestId('case-action-bar');
    await bar.waitFor();
    await bar.locator(`[data-action="${action}"]`).click();
    const dialog = p.getByRole('dialog').filter({ visible: true });
    await dialog.waitFor();
    if (fill) await fill(dialog);
    await confirmAction(dialog);
  };
  let reportId: number | null = null;
  let noticeId: number | null = null;
  try {
    await check('故障报告 at 375 px: 张起草 fills the generated form (发生时间 now), reports it up the chain; the deadline shows', async () => {
      const { phone, p } = await phoneOf('drafter');
      try {
        await p.goto(`${base}/cases/new?type=incident_report`);
        await p.getByRole('heading', { name: /异常汇报\/故障报告/ }).waitFor();
        await p.locator('#case-form_title').fill('2号机给水泵振动异常');
        await p.locator('#case-form_kind').getByText('故障报告', { exact: true }).click();
        // 发生时间: an hour ago, typed into the generated date-time picker.
        const hourAgo = new Date(Date.now() - 3_600_000);
        const at = `${new Intl.DateTimeFormat('en-CA', { timeZone: SHANGHAI }).format(hourAgo)} ${new Intl.DateTimeFormat('en-GB', { timeZone: SHANGHAI, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(hourAgo)}`;
        await p.locator('#case-form_occurredAt').click();
        await p.locator('#case-form_occurredAt').fill(at);
        await p.locator('#case-form_occurredAt').press('Enter');
        expect((await p.locator('#case-form_occurredAt').inputValue()) === at, `发生时间 ${at}`);
        await p.locator('#case-form_equipment').fill('2号机给水泵');
        await p.locator('#case-form_body').fill('振动 0.12 mm，超过报警值，已切换备用泵。');
        // No unit to pick: the report goes up the reporting chain (逐级汇报) to the head of 发电部.
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-incident-form.png'), fullPage: true });
        reportId = await send(p);
        await p
          .locator('.ant-tag')
          .filter({ hasText: /^已汇报$/ })
          .first()
          .waitFor();
        await p.getByText('汇报期限（发生后24小时内）').first().waitFor();
        await p.getByText(`${CF_PEOPLE.leader.name}（${CF_UNITS.ops.name}）`).first().waitFor();
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-incident-case.png'), fullPage: true });
      } finally {
        await phone.close();
      }
    });

    await check('故障报告 at 375 px: 李签发, the person it was reported to, acknowledges it (确认收到) in the generated dialog; it is closed', async () => {
      expect(reportId, 'no report (an earlier step failed)');
      const { phone, p } = await phoneOf('leader');
      try {
        await p.goto(`${base}/cases/${reportId}`);
        await actOnPhone(p, 'acknowledge', async (d) => {
          await d.locator('textarea').first().fill('已通知检修跟进');
          await p.screenshot({ path: path.join(RESULTS, 'phone-375-incident-ack.png') });
        });
        await p
          .locator('.ant-tag')
          .filter({ hasText: /^已确认收到$/ })
          .first()
          .waitFor();
        await timelineEvent(p, '确认收到', CF_PEOPLE.leader.name).waitFor();
      } finally {
        await phone.close();
      }
    });

    await check('预防丢煤通知单 at 375 px: 张起草 fills the measured and design sizes, names 李签发 to report to, and issues it to 检修部', async () => {
      const { phone, p } = await phoneOf('drafter');
      try {
        await p.goto(`${base}/cases/new?type=coal_loss_notice`);
        await p.getByRole('heading', { name: /预防丢煤通知单/ }).waitFor();
        await p.locator('#case-form_title').fill('3105 工作面煤柱尺寸不符');
        await p.locator('#case-form_face').fill('3105 回采工作面');
        await p.locator('#case-form_measured').getByText('煤柱尺寸', { exact: true }).click();
        await p.locator('#case-form_designMeters').fill('20');
        await p.locator('#case-form_measuredMeters').fill('16.5');
        await p.locator('#case-form_body').fill('区段煤柱实测 16.5 m，小于设计 20 m，请调整回采。');
        await pickUnit(p, '#case-form_receiverUnitId', CF_UNITS.maint.name);
        await p.locator('#case-form_chiefEngineerPersonId').click();
        await selectOption(p, CF_PEOPLE.leader.name).click();
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-coal-loss-form.png'), fullPage: true });
        noticeId = await send(p);
        await p
          .locator('.ant-tag')
          .filter({ hasText: /^已发出$/ })
          .first()
          .waitFor();
        await p.getByText('16.5').first().waitFor();
        await noHorizontalOverflow(p);
        await p.screenshot({ path: path.join(RESULTS, 'phone-375-coal-loss-case.png'), fullPage: true });
      } finally {
        await phone.close();
      }
    });

    await check('预防丢煤通知单 at 375 px: 王检修 acknowledges it; it is closed', async () => {
      expect(noticeId, 'no notice (an earlier step failed)');
      const { phone, p } = await phoneOf('receiver');
      try {
        await p.goto(`${base}/cases/${noticeId}`);
        await actOnPhone(p, 'acknowledge');
        await p
          .locator('.ant-tag')
          .filter({ hasText: /^已确认收到$/ })
          .first()
          .waitFor();
        await timelineEvent(p, '确认收到', CF_PEOPLE.receiver.name).waitFor();
      } finally {
        await phone.close();
      }
    });
  } finally {
    for (const s of Object.values(sessions)) await s.ctx.close().catch(() => {});
  }
}

/** The same person on a 375 px phone (touch, zh-CN, Shanghai time), logged in with `state`. */
async function phoneSession(browser: Browser, base: string, state: Awaited<ReturnType<BrowserContext['storageState']>>, pageErrors: string[]) {
  const phone = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: SHANGHAI,
    storageState: state,
  });
  phone.setDefaultTimeout(10_000);
  await web.guard(phone, base);
  const p = await phone.newPage();
  p.on('pageerror', (e) => pageErrors.push(`phone: ${e.message}`));
  return { phone, p };
}

// ---------------------------------------------------------------- run

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  if (!fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    console.log('dist/web is missing: building the web UI first');
    execFileSync('npm', ['run', 'build:web', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }

  web.start();
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
    await web.guard(desktop, base);
    const page = await desktop.newPage();
    openPages.set('admin', page);
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
      await page.getByTestId('org-name').filter({ hasText: ORG }).waitFor();
      // The administrator's first job is the organization tree: setup sends them to /org, and they stay there.
      await page.getByTestId('unit-node-ROOT').or(page.getByTestId('cases-table')).first().waitFor();
      const landed = new URL(page.url()).pathname;
      expect(landed === '/org', `setup should leave the administrator on /org (组织机构), the page went on to ${landed}`);
      await page.getByTestId('unit-node-ROOT').waitFor();
      await page.screenshot({ path: path.join(RESULTS, 'desktop-org.png') });
    });

    await check('a unit is created under the root (组织机构 → 新增下级单位)', async () => {
      // Through the menu when setup did not leave us there (reported by the check above), so the rest still runs.
      if (new URL(page.url()).pathname !== '/org') {
        await page.getByRole('menuitem', { name: '组织机构' }).click();
        await page.waitForURL('**/org');
      }
      await page.getByTestId('unit-node-ROOT').waitFor();
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
      await web.guard(phone, base);
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

    await contactFormJourney(browser, base, page, pageErrors);
    await bellJourney(browser, base, pageErrors);
    await articleFormsJourney(browser, base, pageErrors);

    await check('no uncaught errors in the pages', async () => {
      expect(pageErrors.length === 0, pageErrors.join('\n'));
    });
    if (web.rebuilt) console.log(`  (dist/web was rebuilt meanwhile: ${web.served} requests answered from the copy taken at the start)`);
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
    web.stop();
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
printFirstPaint();
console.log(`\nbrowser journey in ${((Date.now() - STARTED) / 1000).toFixed(1)} s; screenshots in test-results/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || code !== 0 ? 1 : 0);
