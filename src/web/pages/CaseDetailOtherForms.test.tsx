// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import dayjs from 'dayjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n, { setupI18n } from '../i18n/index.js';
import { setDisplayZone } from '../lib/format.js';
import { CASE_TYPE_VIEWS } from '../testing/caseTypes.js';
import { mockApi, renderAt } from '../testing/mockApi.js';
import type { CaseDetail, CasePart } from '../types.js';
import CaseDetailPage from './CaseDetailPage.js';
import { actionForm } from './cases/ActionDialog.js';
import { toInput } from './cases/schemaForm/schema.js';

const base = {
  id: 7,
  revision: 0,
  version: 3,
  initiatorUnit: { id: 1, name: '安全环保部' },
  drafter: { id: 5, name: '李华' },
  signingLeader: null,
  createdAt: '2026-09-29T02:00:00Z',
  updatedAt: '2026-09-29T02:00:00Z',
  closedAt: null,
  parts: [] as CasePart[],
  deadlines: [],
  actions: [],
  editable: false,
  watching: false,
  timeline: [],
  attachments: [],
  links: [],
} satisfies Partial<CaseDetail>;

const part = (id: number, unitId: number, name: string, state: string, stateLabel: string): CasePart => ({
  id,
  unit: { id: unitId, name },
  role: 'main',
  state,
  stateLabel,
  handler: null,
  dueDate: null,
  requestedDueDate: null,
  overdue: false,
  supervised: false,
});

const ticket = (over: Partial<CaseDetail> = {}): CaseDetail => ({
  ...base,
  type: 'operation_ticket',
  typeName: '停送电操作票',
  number: 'CZP-2026-0001',
  title: '1号给水泵电机停电',
  state: 'awaiting_review',
  stateLabel: '待审核人签字',
  fields: {
    title: '1号给水泵电机停电',
    operation: 'power_off',
    equipment: '1号给水泵电机 6kV 开关',
    steps: ['核对设备名称编号', '断开1号给水泵电机开关', '验电、挂接地线'],
    usersContacted: '汽机专业已联系同意',
    reviewerPersonId: 21,
    permitterPersonId: 22,
  },
  ...over,
});

const breakthrough = (over: Partial<CaseDetail> = {}): CaseDetail => ({
  ...base,
  type: 'notice',
  typeName: '通知单',
  number: 'TZD-2026-0001',
  title: '3105运输巷与联络巷贯通',
  state: 'monitoring',
  stateLabel: '贯通测量中',
  signingLeader: { id: 9, name: '陈总工' },
  fields: {
    kind: 'breakthrough',
    title: '3105运输巷与联络巷贯通',
    body: '两掘进头相向掘进，按规定发放贯通通知单。',
    headingA: '3105运输巷掘进头',
    headingB: '3105联络巷掘进头',
    strata: 'coal',
    distanceMeters: 35,
    receiverUnitIds: [3, 4],
    leaderPersonId: 9,
  },
  parts: [part(31, 3, '掘进一队', 'pending', '待发出'), part(32, 4, '掘进二队', 'pending', '待发出')],
  actions: [
    { action: 'measure', label: '录入两头距离', partId: null },
    { action: 'withdraw', label: '撤回', partId: null },
  ],
  timeline: [
    {
      id: 1,
      at: '2026-09-29T02:00:00Z',
      actor: '李华',
      action: 'measure',
      label: '录入两头距离',
      partId: null,
      unitName: null,
      fromState: 'draft',
      toState: 'monitoring',
      revision: 0,
      data: { distanceMeters: 26.5 },
    },
  ],
  ...over,
});

const MEMBERS = {
  items: [
    { id: 21, name: '许监护', post: '运行值班员', gender: null, employeeNo: null, phone: null, status: 'active' },
    { id: 22, name: '高值长', post: '值长', gender: null, employeeNo: null, phone: null, status: 'active' },
  ],
  total: 2,
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

const render = () => renderAt(<CaseDetailPage />, { path: '/cases/7', route: '/cases/:id' });
const actionButtons = () => [...document.querySelectorAll<HTMLElement>('button[data-action]')].map((b) => b.dataset.action);
/** The value shown next to a label in the contents. */
const fieldValue = (label: string) => {
  const th = within(screen.getByTestId('case-fields')).getByText(label).closest('.ant-descriptions-item') as HTMLElement;
  return th.querySelector('.ant-descriptions-item-content')?.textContent ?? '';
};

describe('其他表单详情 (other case types on the detail page)', { timeout: 60_000 }, () => {
  it("操作票: readable fields and steps; the approval buttons are exactly the server's actions", async () => {
    let current = ticket({ actions: [] });
    mockApi({ 'GET /cases/signing-leaders': [], 'GET /cases/unit-members': MEMBERS.items, 'GET /cases/:id': () => current });
    const user = userEvent.setup();
    render();

    expect(await screen.findByRole('heading', { name: '1号给水泵电机停电' })).toBeTruthy();
    expect(fieldValue('操作类型')).toBe('停电');
    expect(fieldValue('设备名称及编号')).toBe('1号给水泵电机 6kV 开关');
    expect(fieldValue('已联系的相关用户')).toBe('汽机专业已联系同意');
    expect(fieldValue('填票人')).toBe('李华');
    await waitFor(() => expect(fieldValue('审核人/监护人')).toBe('许监护'));
    expect(fieldValue('值长/许可人')).toBe('高值长');
    expect([...screen.getByTestId('ticket-steps').querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      '核对设备名称编号',
      '断开1号给水泵电机开关',
      '验电、挂接地线',
    ]);
    // No raw field names anywhere.
    expect(screen.queryByText(/reviewerPersonId|equipment|power_off/)).toBeNull();
    // A ticket has no receiving units.
    expect(screen.queryByText('收单单位')).toBeNull();

    // The drafter waiting for the reviewer: nothing to do, no 审核人签字 or 值长许可 of its own making.
    expect(actionButtons()).toEqual([]);
    expect(screen.getByText('当前没有需要你办理的事项')).toBeTruthy();

    // The reviewer's view: the server offers 审核人签字 and 退回, and that is all there is.
    current = ticket({
      actions: [
        { action: 'review', label: '审核人签字', partId: null },
        { action: 'send_back', label: '退回', partId: null },
      ],
    });
    await user.click(screen.getByRole('button', { name: '刷新' }));
    await waitFor(() => expect(actionButtons()).toEqual(['review', 'send_back']));
    expect(screen.queryByRole('button', { name: '值长许可' })).toBeNull();
  });

  it('操作票: 审核人签字 posts an optional note', async () => {
    const api = mockApi({
      'GET /cases/signing-leaders': [],
      'GET /cases/unit-members': MEMBERS.items,
      'GET /cases/:id': ticket({ actions: [{ action: 'review', label: '审核人签字', partId: null }] }),
      'POST /cases/:id/actions': ticket({ state: 'awaiting_permit', stateLabel: '待值长许可', version: 4 }),
    });
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByRole('button', { name: '审核人签字' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('签字意见（可不填）'), '步骤正确');
    await user.click(within(dialog).getByRole('button', { name: '审核人签字' }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'review', version: 3, input: { note: '步骤正确' } });
  });

  it('贯通通知单: 录入两头距离 posts the distance', async () => {
    const issued = breakthrough({ state: 'issued', stateLabel: '已发出', version: 4, actions: [] });
    const api = mockApi({ 'GET /cases/:id': breakthrough(), 'POST /cases/:id/actions': issued });
    const user = userEvent.setup();
    render();

    expect(await screen.findByRole('heading', { name: '3105运输巷与联络巷贯通' })).toBeTruthy();
    expect(fieldValue('通知类型')).toBe('贯通通知单');
    expect(fieldValue('掘进头 A')).toBe('3105运输巷掘进头');
    expect(fieldValue('岩性')).toBe('煤巷');
    expect(fieldValue('起草时两头距离')).toBe('35 米');
    // In the organization's zone (Asia/Shanghai), labelled only when the test machine's zone differs.
    expect(fieldValue('最近测量')).toMatch(/^26\.5 米（2026-09-29 10:00( \(UTC\+8\))?）$/);
    expect(fieldValue('主管领导')).toBe('陈总工');
    expect(within(screen.getByTestId('case-timeline')).getByText('26.5 米')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: '录入两头距离' }));
    const dialog = await screen.findByRole('dialog');
    // Without a distance nothing goes out.
    await user.click(within(dialog).getByRole('button', { name: '录入两头距离' }));
    expect(await within(dialog).findByText('请填写两头距离（米）')).toBeTruthy();
    expect(api.find('POST', '/cases/7/actions')).toHaveLength(0);

    await user.type(within(dialog).getByRole('spinbutton', { name: '两头距离（米）' }), '19.5');
    await user.click(within(dialog).getByRole('button', { name: '录入两头距离' }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'measure', version: 3, input: { distanceMeters: 19.5 } });
    await waitFor(() => expect(actionButtons()).toEqual([]));
  });

  it('贯通通知单: 停止一头掘进 names the headings and posts {heading}', async () => {
    const d = breakthrough({
      state: 'issued',
      stateLabel: '已发出',
      parts: [part(31, 3, '掘进一队', 'acknowledged', '已确认收到，待停头'), part(32, 4, '掘进二队', 'acknowledged', '已确认收到，待停头')],
      actions: [{ action: 'stop_heading', label: '停止一头掘进', partId: 32 }],
    });
    const api = mockApi({ 'GET /cases/:id': d, 'POST /cases/:id/actions': { ...d, actions: [] } });
    const user = userEvent.setup();
    render();
    await user.click(await within(await screen.findByTestId('part-32')).findByRole('button', { name: '停止一头掘进' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByText('B：3105联络巷掘进头'));
    await user.type(within(dialog).getByLabelText('说明（可不填）'), '联络巷停止掘进');
    await user.click(within(dialog).getByRole('button', { name: '停止一头掘进' }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({
      action: 'stop_heading',
      partId: 32,
      version: 3,
      input: { heading: 'B', note: '联络巷停止掘进' },
    });
  });

  it('委托书: labelled fields, signers named from the leaders; 签收 asks for the handler', async () => {
    const d: CaseDetail = {
      ...base,
      type: 'commission_letter',
      typeName: '委托书',
      number: 'WTS-2026-0001',
      title: '3105运输巷掘进工作面地质说明书',
      state: 'issued',
      stateLabel: '已发出',
      signingLeader: { id: 9, name: '陈总工' },
      fields: {
        title: '3105运输巷掘进工作面地质说明书',
        body: '请提交地质说明书。',
        reportKind: 'heading',
        receiverUnitId: 2,
        departmentHeadPersonId: 8,
        chiefEngineerPersonId: 9,
      },
      parts: [part(21, 2, '地测部', 'awaiting_receipt', '待签收')],
      actions: [{ action: 'receive', label: '签收', partId: 21 }],
    };
    const api = mockApi({
      'GET /cases/signing-leaders': [
        { id: 8, name: '林部长', post: '部长', unitName: '安全环保部' },
        { id: 9, name: '陈总工', post: '总工程师', unitName: '华岳能源集团' },
      ],
      'GET /cases/:id/parts/:partId/members': [{ id: 40, name: '杨测量', post: '测量员' }],
      'GET /cases/:id': d,
      'POST /cases/:id/actions': { ...d, actions: [] },
    });
    const user = userEvent.setup();
    render();
    await screen.findByRole('heading', { name: '3105运输巷掘进工作面地质说明书' });
    expect(screen.getByText('委托书内容')).toBeTruthy();
    expect(fieldValue('受托单位')).toBe('地测部');
    expect(fieldValue('委托成果')).toBe('掘进工作面地质说明书');
    await waitFor(() => expect(fieldValue('部长')).toBe('林部长'));
    expect(fieldValue('总工程师')).toBe('陈总工');
    expect(screen.getByTestId('case-body').textContent).toBe('请提交地质说明书。');

    await user.click(within(screen.getByTestId('part-21')).getByRole('button', { name: /签\s?收/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('combobox', { name: '承办人' }));
    await user.click(await screen.findByTitle('杨测量 · 测量员'));
    await user.click(within(dialog).getByRole('button', { name: /签\s?收/ }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'receive', partId: 21, version: 3, input: { handlerPersonId: 40 } });
  });

  it('edits a draft notice in its own form: PUT {version, fields}', async () => {
    const draft: CaseDetail = {
      ...base,
      type: 'notice',
      typeName: '通知单',
      number: 'TZD-2026-0002',
      title: '开工通知单',
      state: 'draft',
      stateLabel: '草稿',
      editable: true,
      fields: { kind: 'work_start', title: '开工通知单', body: '定于月底开工。', roadway: '3105运输巷', workDate: '2099-10-09', receiverUnitIds: [2] },
      parts: [part(21, 2, '地测部', 'pending', '待发出')],
      actions: [{ action: 'issue', label: '发出', partId: null }],
    };
    const api = mockApi({
      'GET /units': [],
      'GET /cases/receiver-units': [],
      'GET /cases/signing-leaders': [],
      'GET /cases/:id': draft,
      'PUT /cases/:id': { ...draft, version: 4 },
    });
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByTestId('edit-case'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('编辑通知单')).toBeTruthy();
    const roadway = within(dialog).getByLabelText('施工地点（可不填）');
    await waitFor(() => expect((roadway as HTMLInputElement).value).toBe('3105运输巷'));
    await user.clear(roadway);
    await user.type(roadway, '3105回风巷');
    await user.click(within(dialog).getByRole('button', { name: /保\s?存/ }));
    await waitFor(() => expect(api.find('PUT', '/cases/7')).toHaveLength(1));
    expect(api.find('PUT', '/cases/7')[0]!.body).toEqual({
      version: 3,
      fields: { kind: 'work_start', title: '开工通知单', body: '定于月底开工。', roadway: '3105回风巷', workDate: '2099-10-09', receiverUnitIds: [2] },
    });
  });
});

describe('actionForm / toInput for the other types (from the served description)', () => {
  const view = (code: string) => CASE_TYPE_VIEWS.find((v) => v.code === code);
  it('操作完成 asks for the time (the organization’s wall clock) and posts it as an ISO instant; 作废 asks for a reason', () => {
    const spec = actionForm(i18n.t, view('operation_ticket'), 'complete', null, ticket({ state: 'in_operation' }));
    expect(spec.fields.map((f) => [f.name, f.shape.kind, f.required])).toEqual([
      ['completedAt', 'datetime', true],
      ['note', 'text', false],
    ]);
    setDisplayZone('Asia/Shanghai');
    // 10:40 picked means 10:40 in Shanghai, whatever zone the test machine is in.
    const at = dayjs('2026-09-29 10:40');
    expect(toInput(spec.spec, { completedAt: at, note: '  ' })).toEqual({ completedAt: '2026-09-29T02:40:00.000Z' });
    setDisplayZone(null);

    const voiding = actionForm(i18n.t, view('operation_ticket'), 'void', null, ticket());
    expect(voiding.danger).toBe(true);
    expect(voiding.fields.map((f) => [f.name, f.required, f.shape.kind === 'text' ? f.shape.minLength : null])).toEqual([['reason', true, 2]]);
    // Without input: a confirmation with the type's own hint.
    expect(actionForm(i18n.t, view('operation_ticket'), 'submit', null, ticket({ state: 'draft' }))).toMatchObject({
      fields: [],
      hint: '签字后依次由审核人、值长签字许可，许可后方可操作。',
      danger: false,
    });
    expect(actionForm(i18n.t, view('notice'), 'issue', null, breakthrough()).fields).toEqual([]);
  });
});
