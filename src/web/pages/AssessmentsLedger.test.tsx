// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { ME, mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { MeView, PersonView, UnitView } from '../types.js';
import AssessmentsPage from './AssessmentsPage.js';

/** The office's ledger (issue 9 §7): 手工录入, the period's totals, closing and reopening. */
const OFFICE: MeView = { ...ME, permissions: ['org.read', 'people.read', 'assessment.read', 'assessment.manage'] };
const unit = (id: number, name: string, parentId: number | null, path: string) =>
  ({
    id,
    name,
    code: `U${id}`,
    parentId,
    path,
    depth: path.split('/').filter(Boolean).length - 1,
    sortOrder: id,
    active: true,
    typeCode: 'department',
  }) as unknown as UnitView;
const UNITS = [unit(1, '华岳能源集团', null, '/1/'), unit(2, '机电队', 1, '/1/2/')];
const person = (id: number, name: string, post: string): PersonView => ({ id, name, post, gender: null, employeeNo: null, phone: null, status: 'active' });
const PEOPLE = { items: [person(7, '赵师傅', '联络员'), person(9, '李经理', '经理')], total: 2, page: 1, pageSize: 20 };
const EMPTY = { items: [], total: 0, page: 1, pageSize: 20 };

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function openDropdown() {
  await waitFor(() => expect(document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')).toBeTruthy());
  return [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')].at(-1)!;
}

describe('手工录入 (manual ledger entry)', () => {
  it('is offered to the office only', async () => {
    mockApi({ 'GET /units': [], 'GET /assessments': EMPTY });
    renderAt(<AssessmentsPage />, { path: '/assessments', route: '/assessments' });
    await screen.findByTestId('assessments-table');
    expect(screen.queryByRole('button', { name: '手工录入' })).toBeNull();
    // The first render of the page loads antd and the page: slow on a loaded machine.
  }, 60_000);

  it('asks for a reason, a judge and an amount, then sends one event with a unit debit and a person fine', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /people': PEOPLE,
      'GET /assessments': EMPTY,
      'POST /assessments': (call: { body: unknown }) =>
        (call.body as { entries: unknown[] }).entries.length === 2
          ? reply(201, { eventId: 3, entries: [] })
          : reply(400, { error: { code: 'VALIDATION', message: '请求有误', details: [] } }),
    });
    const user = userEvent.setup();
    renderAt(<AssessmentsPage />, { path: '/assessments', route: '/assessments', me: OFFICE });
    await user.click(await screen.findByRole('button', { name: '手工录入' }));
    const dialog = await screen.findByRole('dialog');

    // Nothing filled in: the dialog says what is missing and sends nothing.
    await user.click(within(dialog).getByRole('button', { name: /录\s?入/ }));
    expect(await within(dialog).findByText('请填写录入理由')).toBeTruthy();
    expect(within(dialog).getByText('分值和金额至少填一项')).toBeTruthy();
    expect(api.find('POST', '/assessments')).toHaveLength(0);

    // Entry 1: 机电队 −1 point.
    const first = within(dialog).getByTestId('ledger-entry-0');
    fireEvent.mouseDown(within(first).getByRole('combobox', { name: '被考核单位' }));
    const tree = (await screen.findAllByRole('tree')).at(-1)!.closest('.ant-select-dropdown') as HTMLElement;
    await user.click(within(tree).getByTitle('机电队'));
    await user.type(within(first).getByRole('spinbutton', { name: '分值' }), '1');

    // Entry 2: the unit head fined 200 yuan (a person).
    await user.click(within(dialog).getByRole('button', { name: /再加一条/ }));
    const second = await within(dialog).findByTestId('ledger-entry-1');
    await user.click(within(second).getByText('个人'));
    await user.click(within(second).getByRole('combobox', { name: '被考核人' }));
    await user.click(await within(await openDropdown()).findByTitle('赵师傅 · 联络员'));
    await user.type(within(second).getByRole('spinbutton', { name: '金额（元）' }), '200');

    await user.type(within(dialog).getByRole('textbox', { name: '录入理由' }), '联络员散布虚假信息，予以解聘');
    await user.click(within(dialog).getByRole('combobox', { name: '裁定人' }));
    await user.click(await within(await openDropdown()).findByTitle('李经理 · 经理'));
    await user.click(within(dialog).getByRole('button', { name: /录\s?入/ }));

    await waitFor(() => expect(api.find('POST', '/assessments')).toHaveLength(1));
    expect(api.find('POST', '/assessments')[0]!.body).toEqual({
      reason: '联络员散布虚假信息，予以解聘',
      judgePersonId: 9,
      entries: [
        { subject: { kind: 'unit', id: 2 }, direction: 'debit', points: 1 },
        { subject: { kind: 'person', id: 7 }, direction: 'debit', money: 200 },
      ],
    });
    expect(await screen.findByText('已录入 0 条考核')).toBeTruthy();
  }, 90_000);

  it('shows the field the server refused inside the dialog', async () => {
    mockApi({
      'GET /units': UNITS,
      'GET /people': PEOPLE,
      'GET /assessments': EMPTY,
      'POST /assessments': reply(409, {
        error: { code: 'PERIOD_CLOSED', message: '考核期间 2026-09 已结账：不能新增、修改或裁定其中的考核记录，须先重新打开', details: [] },
      }),
    });
    const user = userEvent.setup();
    renderAt(<AssessmentsPage />, { path: '/assessments', route: '/assessments', me: OFFICE });
    await user.click(await screen.findByRole('button', { name: '手工录入' }));
    const dialog = await screen.findByRole('dialog');
    const first = within(dialog).getByTestId('ledger-entry-0');
    await user.click(within(first).getByText('加分'));
    fireEvent.mouseDown(within(first).getByRole('combobox', { name: '被考核单位' }));
    const tree = (await screen.findAllByRole('tree')).at(-1)!.closest('.ant-select-dropdown') as HTMLElement;
    await user.click(within(tree).getByTitle('机电队'));
    await user.type(within(first).getByRole('spinbutton', { name: '分值' }), '2');
    await user.type(within(dialog).getByRole('textbox', { name: '录入理由' }), '信息质量好');
    await user.click(within(dialog).getByRole('combobox', { name: '裁定人' }));
    await user.click(await within(await openDropdown()).findByTitle('李经理 · 经理'));
    await user.click(within(dialog).getByRole('button', { name: /录\s?入/ }));
    expect(await within(dialog).findByText(/已结账/)).toBeTruthy();
  }, 60_000);
});

describe('期间 (periods)', () => {
  it('shows a month’s per-subject totals and lets the office reopen it with a reason', async () => {
    const api = mockApi({
      'GET /units': [],
      'GET /assessments': EMPTY,
      'GET /assessments/totals': {
        period: '2026-09',
        months: [{ period: '2026-09', state: 'closed' }],
        items: [{ subjectKind: 'unit', subjectId: 2, subjectName: '机电队', points: -1.5, money: 100, pendingPoints: -2, pendingMoney: 0, entries: 3 }],
      },
      'GET /assessments/periods': {
        items: [
          { period: '2026-09', state: 'closed', stateLabel: '已结账', version: 2, closedAt: null, reopenedAt: null, reopenReason: null, canClose: false },
        ],
      },
      'POST /assessments/periods/:period/reopen': { period: '2026-09', state: 'open' },
    });
    const user = userEvent.setup();
    renderAt(<AssessmentsPage />, { path: '/assessments?period=2026-09', route: '/assessments', me: OFFICE });
    const card = await screen.findByTestId('ledger-totals');
    expect(within(card).getByText('2026-09 汇总')).toBeTruthy();
    expect(within(card).getByText('机电队（单位）')).toBeTruthy();
    expect(within(card).getByText('−1.5')).toBeTruthy();
    expect(within(card).getByText('+100')).toBeTruthy();
    expect((await within(card).findByTestId('period-state')).textContent).toBe('已结账');
    expect(api.find('GET', '/assessments/totals')[0]!.query.get('period')).toBe('2026-09');

    await user.click(within(card).getByTestId('period-reopen'));
    const dialog = await screen.findByRole('dialog');
    const ok = within(dialog).getByRole('button', { name: /重新打开/ });
    expect(ok.hasAttribute('disabled')).toBe(true);
    await user.type(within(dialog).getByRole('textbox', { name: '重新打开的理由' }), '补录九月考核');
    await user.click(ok);
    await waitFor(() => expect(api.find('POST', '/assessments/periods/2026-09/reopen')).toHaveLength(1));
    expect(api.find('POST', '/assessments/periods/2026-09/reopen')[0]!.body).toEqual({ reason: '补录九月考核', version: 2 });
  }, 60_000);
});
