// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { todayInZone } from '../lib/format.js';
import { type Call, mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { AccountCandidateView, AccountRow, ApiTokenView, BulkAccountsCreatedView } from '../types.js';
import AccountsPage from './AccountsPage.js';

const account = (id: number, username: string, personName: string): AccountRow => ({
  id,
  username,
  personId: id + 100,
  personName,
  active: true,
  mustChangePassword: false,
  lastLoginAt: null,
  createdAt: '2026-03-01T01:00:00Z',
});

const CANDIDATES: AccountCandidateView[] = [
  { personId: 21, name: '王强', employeeNo: 'M0021', unitName: '机电队' },
  { personId: 22, name: '赵敏', employeeNo: 'M0022', unitName: '机电队' },
  { personId: 23, name: '孙丽', employeeNo: 'S0023', unitName: '选运队' },
];

const BULK: BulkAccountsCreatedView = {
  accounts: [
    { accountId: 31, personId: 21, name: '王强', employeeNo: 'M0021', unitName: '机电队', username: 'm0021', password: 'Kx7pQ2mZr9aB' },
    { accountId: 32, personId: 22, name: '赵敏', employeeNo: 'M0022', unitName: '机电队', username: 'm0022', password: 'Tq4nW8vLc3eD' },
  ],
  files: { xlsx: btoa('xlsx-bytes'), csv: btoa('csv-bytes') },
};

/** Catches what the page hands to the browser's download: the file name and the bytes. */
function catchDownloads() {
  const files: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  const saved = { create: URL.createObjectURL, revoke: URL.revokeObjectURL };
  URL.createObjectURL = (b: Blob) => {
    const href = `blob:test/${blobs.size + 1}`;
    blobs.set(href, b);
    return href;
  };
  URL.revokeObjectURL = () => {};
  onTestFinished(() => {
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, blob: blobs.get(this.getAttribute('href') ?? '') as Blob });
  });
  return files;
}

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('账号管理 — 批量开户 (issue 8: accounts for imported people)', () => {
  it('opens accounts for the people chosen (search, select all), then shows each one-time password once and offers both files', async () => {
    let opened = false;
    const api = mockApi({
      'GET /accounts/candidates': () => (opened ? [CANDIDATES[2]] : CANDIDATES),
      'GET /accounts': () =>
        opened ? [account(1, 'lihua', '李华'), account(31, 'm0021', '王强'), account(32, 'm0022', '赵敏')] : [account(1, 'lihua', '李华')],
      'POST /accounts/bulk': () => {
        opened = true;
        return BULK;
      },
    });
    const files = catchDownloads();
    const user = userEvent.setup();
    renderAt(<AccountsPage />, { path: '/accounts', route: '/accounts' });
    await screen.findByText('lihua');

    await user.click(screen.getByRole('button', { name: /批量开户/ }));
    const dialog = await screen.findByRole('dialog');
    const table = await within(dialog).findByTestId('bulk-candidates');
    expect(within(table).getByText('孙丽')).toBeTruthy();
    // Nothing chosen, nothing to send.
    expect((within(dialog).getByTestId('bulk-submit') as HTMLButtonElement).disabled).toBe(true);

    // Search by unit, then 全选 picks exactly the people shown.
    await user.type(within(dialog).getByRole('searchbox'), '机电队');
    await waitFor(() => expect(within(table).queryByText('孙丽')).toBeNull());
    await user.click(within(dialog).getByRole('checkbox', { name: '全选（2 人）' }));
    expect(within(dialog).getByTestId('bulk-selected').textContent).toBe('已选 2 人');
    await user.click(within(dialog).getByTestId('bulk-submit'));

    await waitFor(() => expect(api.find('POST', '/accounts/bulk')).toHaveLength(1));
    expect(api.find('POST', '/accounts/bulk')[0]!.body).toEqual({ personIds: [21, 22] });

    // The result: who got which login, the passwords, and the warning that this is the only time they are shown.
    const logins = await within(dialog).findByTestId('one-time-logins');
    const rows = within(logins).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['王强', 'M0021', '机电队', 'm0021', 'Kx7pQ2mZr9aB'],
      ['赵敏', 'M0022', '机电队', 'm0022', 'Tq4nW8vLc3eD'],
    ]);
    expect(within(dialog).getByText(/一次性密码只显示这一次/).textContent).toMatch(/首次登录时都必须修改密码/);

    // Both files, decoded from the answer's base64, named after today.
    const day = todayInZone().replace(/-/g, '');
    await user.click(within(dialog).getByTestId('download-xlsx'));
    await user.click(within(dialog).getByTestId('download-csv'));
    expect(files.map((f) => f.name)).toEqual([`一次性密码-${day}.xlsx`, `一次性密码-${day}.csv`]);
    expect(await files[0]!.blob.text()).toBe('xlsx-bytes');
    expect(files[0]!.blob.type).toContain('spreadsheetml');
    expect(await files[1]!.blob.text()).toBe('csv-bytes');

    // The accounts list was asked again and shows the new logins.
    await waitFor(() => expect(api.find('GET', '/accounts').length).toBeGreaterThanOrEqual(2));
    await waitFor(() => expect(screen.getAllByText('m0021').some((el) => !dialog.contains(el))).toBe(true));
    // Downloaded: 完成 closes without asking.
    await user.click(within(dialog).getByRole('button', { name: /完\s?成/ }));
    await user.click(screen.getByRole('button', { name: /批量开户/ }));
    await within(dialog).findByTestId('bulk-candidates');
    expect(screen.queryByText('还没有下载一次性密码')).toBeNull();
    expect(within(dialog).queryByText('Kx7pQ2mZr9aB')).toBeNull();
  });

  it('asks before closing the one-time passwords when neither file was downloaded', async () => {
    mockApi({ 'GET /accounts/candidates': CANDIDATES, 'GET /accounts': [account(1, 'lihua', '李华')], 'POST /accounts/bulk': BULK });
    const user = userEvent.setup();
    renderAt(<AccountsPage />, { path: '/accounts', route: '/accounts' });
    await user.click(await screen.findByRole('button', { name: /批量开户/ }));
    const dialog = await screen.findByRole('dialog');
    const table = await within(dialog).findByTestId('bulk-candidates');
    await user.click(within(within(table).getByText('王强').closest('tr') as HTMLElement).getByRole('checkbox'));
    await user.click(within(dialog).getByTestId('bulk-submit'));
    await within(dialog).findByTestId('one-time-logins');

    await user.click(within(dialog).getByRole('button', { name: /完\s?成/ }));
    const confirm = (await screen.findByText('还没有下载一次性密码', { selector: '.ant-modal-confirm-title' })).closest('.ant-modal') as HTMLElement;
    expect(confirm.textContent).toContain('关闭后这些密码无法再查看');
    // Staying keeps the passwords on screen.
    await user.click(within(confirm).getByRole('button', { name: /取\s?消/ }));
    expect(within(dialog).getByText('Kx7pQ2mZr9aB')).toBeTruthy();
    // Closing anyway, after being told.
    await user.click(within(dialog).getByRole('button', { name: /完\s?成/ }));
    // (The first confirmation may still be fading out: the newest one is last.)
    await user.click((await screen.findAllByRole('button', { name: '仍然关闭' })).at(-1) as HTMLElement);
    // Closed: opening again starts from the choice, and the passwords are gone for good.
    await user.click(screen.getByRole('button', { name: /批量开户/ }));
    await waitFor(() => expect(screen.queryByText('Kx7pQ2mZr9aB')).toBeNull());
    expect(within(dialog).getByTestId('bulk-candidates')).toBeTruthy();
  });

  it("shows the server's refusal with the field it names, and opens nothing", async () => {
    const api = mockApi({
      'GET /accounts/candidates': CANDIDATES,
      'GET /accounts': [account(1, 'lihua', '李华')],
      'POST /accounts/bulk': reply(400, {
        error: { code: 'VALIDATION', message: '请求参数不正确', details: [{ path: 'personIds.0', message: '该人员已有账号' }] },
      }),
    });
    const user = userEvent.setup();
    renderAt(<AccountsPage />, { path: '/accounts', route: '/accounts' });
    await user.click(await screen.findByRole('button', { name: /批量开户/ }));
    const dialog = await screen.findByRole('dialog');
    const table = await within(dialog).findByTestId('bulk-candidates');
    await user.click(within(within(table).getByText('孙丽').closest('tr') as HTMLElement).getByRole('checkbox'));
    await user.click(within(dialog).getByTestId('bulk-submit'));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('请求参数不正确');
    expect(alert.textContent).toContain('personIds.0');
    expect(alert.textContent).toContain('该人员已有账号');
    expect(within(dialog).queryByTestId('one-time-logins')).toBeNull();
    expect(api.find('GET', '/accounts')).toHaveLength(1);
  });

  it('is a checkable list on a 375 px phone', async () => {
    const happy = (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM;
    happy.setViewport({ width: 375, height: 812 });
    try {
      const api = mockApi({ 'GET /accounts/candidates': CANDIDATES, 'GET /accounts': [account(1, 'lihua', '李华')], 'POST /accounts/bulk': BULK });
      const user = userEvent.setup();
      renderAt(<AccountsPage />, { path: '/accounts', route: '/accounts' });
      await user.click(await screen.findByRole('button', { name: /批量开户/ }));
      const dialog = await screen.findByRole('dialog');
      const list = await within(dialog).findByTestId('bulk-candidates');
      expect(list.tagName).toBe('DIV');
      expect(list.querySelector('table')).toBeNull();
      await user.click(within(list).getByRole('checkbox', { name: /孙丽/ }));
      await user.click(within(dialog).getByTestId('bulk-submit'));
      await waitFor(() => expect(api.find('POST', '/accounts/bulk')[0]?.body).toEqual({ personIds: [23] }));
      const logins = await within(dialog).findByTestId('one-time-logins');
      expect(logins.textContent).toContain('Kx7pQ2mZr9aB');
    } finally {
      happy.setViewport({ width: 1024, height: 768 });
    }
  });
});

describe('账号管理 — API 令牌 (issue 8: an administrator sees and revokes any account’s tokens)', () => {
  it('lists the tokens of an account, greys revoked ones with their time, and revoking one calls DELETE and updates the list', async () => {
    const tokens: ApiTokenView[] = [
      { id: 7, name: 'OA 对接', prefix: 'lia_ab12', createdAt: '2026-03-02T01:00:00Z', lastUsedAt: '2026-03-05T02:00:00Z', revokedAt: null },
      { id: 8, name: '旧脚本', prefix: 'lia_cd34', createdAt: '2026-01-02T01:00:00Z', lastUsedAt: null, revokedAt: '2026-02-01T04:00:00Z' },
    ];
    const api = mockApi({
      'GET /accounts': [account(1, 'lihua', '李华'), account(2, 'wangqiang', '王强')],
      'GET /accounts/:id/tokens': (_c: Call, p: Record<string, string>) => (p.id === '2' ? tokens : []),
      'DELETE /accounts/:id/tokens/:tokenId': (_c: Call, p: Record<string, string>) => {
        const tok = tokens.find((x) => String(x.id) === p.tokenId);
        if (tok) tok.revokedAt = '2026-03-06T03:00:00Z';
        return { ok: true };
      },
    });
    const user = userEvent.setup();
    renderAt(<AccountsPage />, { path: '/accounts', route: '/accounts' });
    const row = (await screen.findByText('wangqiang')).closest('tr') as HTMLElement;
    await user.click(within(row).getByRole('button', { name: /API 令牌/ }));

    const list = await screen.findByTestId('api-tokens');
    expect(screen.getByText('“wangqiang”的 API 令牌')).toBeTruthy();
    const rowOf = (name: string) => within(list).getByText(name).closest('tr') as HTMLElement;
    await within(list).findByText('OA 对接');
    expect(rowOf('旧脚本').className).toContain('token-revoked');
    expect(rowOf('旧脚本').textContent).toContain('已吊销');
    expect(rowOf('旧脚本').textContent).toContain('2026-02-01');
    expect(within(rowOf('旧脚本')).queryByRole('button', { name: /吊\s?销/ })).toBeNull();
    expect(rowOf('OA 对接').className).not.toContain('token-revoked');

    await user.click(within(rowOf('OA 对接')).getByRole('button', { name: /吊\s?销/ }));
    const pop = await screen.findByText('吊销令牌“OA 对接”？使用它的系统将立即无法访问。');
    const popup = pop.closest('.ant-popover') as HTMLElement;
    await user.click(within(popup).getByRole('button', { name: /吊\s?销/ }));

    await waitFor(() => expect(api.find('DELETE', '/accounts/2/tokens/7')).toHaveLength(1));
    await waitFor(() => expect(rowOf('OA 对接').className).toContain('token-revoked'));
    expect(rowOf('OA 对接').textContent).toContain('2026-03-06');
    expect(within(list).queryByRole('button', { name: /吊\s?销/ })).toBeNull();
    expect(api.find('GET', '/accounts/2/tokens')).toHaveLength(2);
  });
});
