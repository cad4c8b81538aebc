// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { ME, mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { PersonView, UnitView } from '../types.js';
import CaseNewPage from './CaseNewPage.js';

const unit = (id: number, name: string, parentId: number | null, path: string): UnitView =>
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

const UNITS = [
  unit(100, '华岳能源集团', null, '/100/'),
  unit(1, '安全环保部', 100, '/100/1/'),
  unit(2, '地测部', 100, '/100/2/'),
  unit(3, '掘进一队', 100, '/100/3/'),
];
const LEADERS = [
  { id: 8, name: '林部长', post: '部长', unitName: '安全环保部' },
  { id: 9, name: '陈总工', post: '总工程师', unitName: '华岳能源集团' },
];
const person = (id: number, name: string, post: string): PersonView => ({ id, name, post, gender: null, employeeNo: null, phone: null, status: 'active' });
const MEMBERS = {
  items: [person(5, '李华', '运行值班员'), person(21, '许监护', '运行值班员'), person(22, '高值长', '值长')],
  total: 3,
  page: 1,
  pageSize: 200,
};

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type User = ReturnType<typeof userEvent.setup>;

const routes = (extra: Record<string, unknown> = {}) => ({
  'GET /units': UNITS,
  'GET /cases/receiver-units': UNITS,
  'GET /cases/signing-leaders': LEADERS,
  'GET /cases/unit-members': (call: { query: URLSearchParams }) => (call.query.get('unitId') === '1' ? MEMBERS.items : []),
  'POST /cases': { id: 42, number: 'X-2026-0042' },
  'POST /cases/:id/actions': { ok: true },
  ...extra,
});

/** The dropdown that is open now (closed ones stay in the page, hidden). */
async function openDropdown() {
  await waitFor(() => expect(document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')).toBeTruthy());
  const open = [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown:not(.ant-select-dropdown-hidden)')];
  return open.at(-1)!;
}

/** Picks an option (by its title) in the select named `name`. */
async function pick(user: User, name: string, title: string) {
  await user.click(screen.getByRole('combobox', { name }));
  const popup = await openDropdown();
  await user.click(await within(popup).findByTitle(title));
}

/** Picks a unit in a unit tree select (opened by mouse-down, like a user's click). */
async function pickUnit(user: User, combobox: HTMLElement, name: string) {
  fireEvent.mouseDown(combobox);
  const popups = await screen.findAllByRole('tree');
  const popup = popups.at(-1)!.closest('.ant-select-dropdown') as HTMLElement;
  await user.click(within(popup).getByTitle(name));
}

async function chooseType(user: User, label: string) {
  await user.click(within(screen.getByTestId('case-type')).getByText(label));
  expect(await screen.findByRole('heading', { name: new RegExp(label) })).toBeTruthy();
}

async function typeDate(user: User, name: string, value: string) {
  const box = screen.getByRole('textbox', { name });
  await user.click(box);
  await user.paste(value);
  await user.keyboard('{Enter}');
}

/** Types a text in one go (pasted): typing it key by key is slow and tells nothing more here. */
async function fill(user: User, el: HTMLElement, text: string) {
  await user.click(el);
  await user.paste(text);
}

/** The form item around an element: its label and its error messages. */
const itemOf = (el: HTMLElement) => el.closest('.ant-form-item') as HTMLElement;

// Rendering whole antd forms in happy-dom is slow on a busy machine: more time than the default 30 s.
describe('起草其他表单 (commission letter, notice, operation ticket)', { timeout: 60_000 }, () => {
  it('委托书: the commissioned unit, an agreed date, the department head and the chief engineer; then submitted for signatures', async () => {
    const api = mockApi(routes());
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });
    await chooseType(user, '委托书');
    expect(screen.getByTestId('location').textContent).toBe('/cases/new?type=commission_letter');

    await fill(user, screen.getByLabelText('标题'), '3105运输巷掘进工作面地质说明书');
    await fill(user, screen.getByLabelText('委托内容'), '请提交3105运输巷掘进工作面地质说明书。');
    await pickUnit(user, screen.getByRole('combobox', { name: '受托单位' }), '地测部');
    // The agreed date is asked for only when the term is agreed.
    expect(screen.queryByRole('textbox', { name: '商定提交日期' })).toBeNull();
    await user.click(screen.getByText('其他（商定提交日期）'));
    await typeDate(user, '商定提交日期', '2099-10-20');

    await waitFor(() => expect(api.find('GET', '/cases/signing-leaders')[0]?.query.get('unitId')).toBe('1'));
    await pick(user, '部长', '林部长 · 部长 · 安全环保部');
    // The department head cannot also be the chief engineer.
    await user.click(screen.getByRole('combobox', { name: '总工程师' }));
    const popup = await openDropdown();
    const same = await within(popup).findByTitle('林部长 · 部长 · 安全环保部（部长和总工程师不能是同一人）');
    expect(same.className).toContain('ant-select-item-option-disabled');
    await user.click(within(popup).getByTitle('陈总工 · 总工程师 · 华岳能源集团'));

    await user.click(screen.getByTestId('submit-case'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'commission_letter',
      initiatorUnitId: 1,
      fields: {
        title: '3105运输巷掘进工作面地质说明书',
        body: '请提交3105运输巷掘进工作面地质说明书。',
        reportKind: 'agreed',
        dueDate: '2099-10-20',
        receiverUnitId: 2,
        departmentHeadPersonId: 8,
        chiefEngineerPersonId: 9,
      },
    });
    await waitFor(() => expect(api.find('POST', '/cases/42/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/42/actions')[0]!.body).toEqual({ action: 'submit' });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/cases/42'));
  });

  it('通知单 (停工): roadway, work date, urgent with its reason, the units notified; then issued', async () => {
    const api = mockApi(routes());
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new?type=notice', route: '/cases/new' });
    expect(await screen.findByRole('heading', { name: '起草通知单' })).toBeTruthy();

    await user.click(screen.getByText('停工通知单'));
    await fill(user, screen.getByLabelText('标题'), '3105运输巷停工通知单');
    await fill(user, screen.getByLabelText('通知内容'), '顶板来压，3105运输巷停止掘进。');
    await fill(user, screen.getByLabelText('施工地点（可不填）'), '3105运输巷');
    await typeDate(user, '停工日期', '2099-10-01');
    expect(screen.queryByLabelText('紧急原因')).toBeNull();
    await user.click(screen.getByText('紧急通知'));
    await fill(user, await screen.findByLabelText('紧急原因'), '顶板来压，紧急停工');
    const rows = () => screen.getAllByTestId('notice-receiver-row');
    await pickUnit(user, within(rows()[0]!).getByRole('combobox'), '地测部');
    await user.click(screen.getByRole('button', { name: /添加收文单位/ }));
    await pickUnit(user, within(rows()[1]!).getByRole('combobox'), '掘进一队');

    await user.click(screen.getByTestId('submit-case'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'notice',
      initiatorUnitId: 1,
      fields: {
        kind: 'work_stop',
        title: '3105运输巷停工通知单',
        body: '顶板来压，3105运输巷停止掘进。',
        receiverUnitIds: [2, 3],
        roadway: '3105运输巷',
        workDate: '2099-10-01',
        urgent: true,
        urgentReason: '顶板来压，紧急停工',
      },
    });
    await waitFor(() => expect(api.find('POST', '/cases/42/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/42/actions')[0]!.body).toEqual({ action: 'issue' });
  });

  it("puts the server's field problems on their items: fields.workDate on the work date, fields.receiverUnitIds.0 on that unit", async () => {
    const api = mockApi(
      routes({
        'POST /cases': reply(400, {
          error: {
            code: 'VALIDATION',
            message: '请求有误',
            details: [
              { path: 'fields.workDate', message: '日期不能早于今天' },
              { path: 'fields.receiverUnitIds.0', message: '不能通知本单位' },
            ],
          },
        }),
      }),
    );
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new?type=notice', route: '/cases/new' });
    await screen.findByRole('heading', { name: '起草通知单' });
    await fill(user, screen.getByLabelText('标题'), '开工通知单');
    await fill(user, screen.getByLabelText('通知内容'), '定于月底开工。');
    await fill(user, screen.getByLabelText('施工地点（可不填）'), '3105运输巷');
    await typeDate(user, '开工日期', '2099-10-09');
    await pickUnit(user, within(screen.getByTestId('notice-receiver-row')).getByRole('combobox'), '地测部');
    await user.click(screen.getByTestId('save-draft'));

    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    const dateError = await screen.findByText('日期不能早于今天');
    expect(within(itemOf(dateError)).getByText('开工日期')).toBeTruthy();
    const unitError = await screen.findByText('不能通知本单位');
    expect(within(screen.getByTestId('notice-receiver-row')).getByText('不能通知本单位')).toBe(unitError);
    // Every problem landed on its field: no second copy in an alert.
    expect(screen.queryByText('请求有误')).toBeNull();
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))).toHaveLength(0);
  });

  it('shows the coal-mine fields only for the notice kinds that need them: a work notice asks for a site, if any; a danger zone for its roadway', async () => {
    mockApi(routes());
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new?type=notice', route: '/cases/new' });
    await screen.findByRole('heading', { name: '起草通知单' });
    // 开工通知单 (the default kind): a site that may stay empty, no roadway, no headings.
    expect(screen.getByLabelText('施工地点（可不填）')).toBeTruthy();
    expect(screen.queryByLabelText('巷道')).toBeNull();
    expect(screen.queryByLabelText('掘进头 A')).toBeNull();
    await user.click(screen.getByText('危险区通知单'));
    expect(await screen.findByLabelText('巷道')).toBeTruthy();
    expect(screen.queryByLabelText('施工地点（可不填）')).toBeNull();
    await user.click(screen.getByText('贯通通知单'));
    expect(await screen.findByLabelText('掘进头 A')).toBeTruthy();
    expect(screen.queryByLabelText('巷道')).toBeNull();
  });

  it('贯通通知单: the two headings, rock, the distance; only saved (a measured distance issues it)', async () => {
    const api = mockApi(routes());
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });
    await chooseType(user, '通知单');
    await user.click(screen.getByText('贯通通知单'));
    expect(screen.queryByTestId('submit-case')).toBeNull();

    await fill(user, screen.getByLabelText('标题'), '3105运输巷与联络巷贯通');
    await fill(user, screen.getByLabelText('通知内容'), '两掘进头相向掘进。');
    await fill(user, screen.getByLabelText('掘进头 A'), '3105运输巷掘进头');
    await fill(user, screen.getByLabelText('掘进头 B'), '3105联络巷掘进头');
    await user.click(screen.getByText('岩巷'));
    await user.type(screen.getByRole('spinbutton', { name: '当前两头距离（米）' }), '35');
    await pickUnit(user, within(screen.getByTestId('notice-receiver-row')).getByRole('combobox'), '掘进一队');
    await pick(user, '主管领导', '陈总工 · 总工程师 · 华岳能源集团');

    await user.click(screen.getByTestId('save-draft'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'notice',
      initiatorUnitId: 1,
      fields: {
        kind: 'breakthrough',
        title: '3105运输巷与联络巷贯通',
        body: '两掘进头相向掘进。',
        receiverUnitIds: [3],
        leaderPersonId: 9,
        headingA: '3105运输巷掘进头',
        headingB: '3105联络巷掘进头',
        strata: 'rock',
        distanceMeters: 35,
      },
    });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/cases/42'));
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))).toHaveLength(0);
  });

  it('停送电操作票: the steps in order, the reviewer among the unit members and the permitter; then signed by the operator', async () => {
    const api = mockApi(routes());
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new?type=operation_ticket', route: '/cases/new' });
    expect(await screen.findByRole('heading', { name: '填写停送电操作票' })).toBeTruthy();

    await fill(user, screen.getByLabelText('操作任务'), '1号给水泵电机送电');
    await user.click(screen.getByText('送电'));
    await fill(user, screen.getByLabelText('设备名称及编号'), '1号给水泵电机 6kV 开关');
    await fill(user, screen.getByRole('textbox', { name: '第 1 步' }), '拆除接地线');
    await user.click(screen.getByRole('button', { name: /添加步骤/ }));
    await fill(user, screen.getByRole('textbox', { name: '第 2 步' }), '合上开关');
    await user.click(screen.getByRole('button', { name: /添加步骤/ }));
    await fill(user, screen.getByRole('textbox', { name: '第 3 步' }), '核对设备名称编号');
    // The last step belongs first.
    const moveUp = () => within(screen.getAllByTestId('ticket-step')[2]!).getByRole('button', { name: '上移' });
    await user.click(moveUp());
    await user.click(within(screen.getAllByTestId('ticket-step')[1]!).getByRole('button', { name: '上移' }));

    // The unit's members, less the operator themself.
    await waitFor(() => expect(api.find('GET', '/cases/unit-members').some((c) => c.query.get('unitId') === '1')).toBe(true));
    await user.click(screen.getByRole('combobox', { name: '审核人/监护人' }));
    const popup = await openDropdown();
    expect((await within(popup).findByTitle('李华 · 运行值班员（填票人本人）')).className).toContain('ant-select-item-option-disabled');
    await user.click(within(popup).getByTitle('许监护 · 运行值班员'));
    await pick(user, '值长/许可人', '高值长 · 值长');

    await user.click(screen.getByTestId('submit-case'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'operation_ticket',
      initiatorUnitId: 1,
      fields: {
        title: '1号给水泵电机送电',
        operation: 'power_on',
        equipment: '1号给水泵电机 6kV 开关',
        steps: ['核对设备名称编号', '拆除接地线', '合上开关'],
        reviewerPersonId: 21,
        permitterPersonId: 22,
      },
    });
    await waitFor(() => expect(api.find('POST', '/cases/42/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/42/actions')[0]!.body).toEqual({ action: 'submit' });
  });

  it('a staff drafter without people.read still picks the reviewer among the members of their own unit', async () => {
    const staff = { ...ME, permissions: ['org.read'], grants: ME.grants.filter((g) => g.role === 'staff') };
    const api = mockApi(routes());
    renderAt(<CaseNewPage />, { path: '/cases/new?type=operation_ticket', route: '/cases/new', me: staff });
    await waitFor(() => expect(api.find('GET', '/cases/unit-members').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('people-limited')).toBeNull();
    expect(api.find('GET', '/people')).toHaveLength(0);
  });
  it('保存草稿 saves each of the three with only a title (and what the form chose by itself)', async () => {
    for (const [type, expected] of [
      ['commission_letter', { title: '只写了标题', reportKind: 'heading' }],
      ['notice', { title: '只写了标题', kind: 'work_start' }],
      ['operation_ticket', { title: '只写了标题', operation: 'power_off' }],
    ] as const) {
      const api = mockApi(routes());
      const user = userEvent.setup();
      renderAt(<CaseNewPage />, { path: `/cases/new?type=${type}`, route: '/cases/new' });
      await fill(user, await screen.findByLabelText(type === 'operation_ticket' ? '操作任务' : '标题'), '只写了标题');
      await user.click(screen.getByTestId('save-draft'));
      await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
      const fields = (api.find('POST', '/cases')[0]!.body as { fields: Record<string, unknown> }).fields;
      // The leaders' lists may pick the only candidate; nothing half-typed is sent.
      expect(Object.fromEntries(Object.entries(fields).filter(([k]) => !k.endsWith('PersonId')))).toEqual(expected);
      expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))).toHaveLength(0);
      cleanup();
    }
  });
});
