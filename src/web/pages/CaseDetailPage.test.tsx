// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { CaseDetail } from '../types.js';
import CaseDetailPage from './CaseDetailPage.js';

const H = 3600_000;

function detail(over: Partial<CaseDetail> = {}): CaseDetail {
  const now = Date.now();
  return {
    id: 7,
    type: 'contact_form',
    typeName: '工作联系单',
    number: 'LXD-2026-0007',
    title: '请协助检修 3 号皮带机',
    state: 'issued',
    stateLabel: '已签发',
    version: 3,
    revision: 1,
    fields: { title: '请协助检修 3 号皮带机', body: '3 号皮带机跑偏，请机电队派人检修。', dueDate: '2026-03-20', receivers: [], signingLeaderPersonId: 9 },
    initiatorUnit: { id: 1, name: '安全环保部' },
    drafter: { id: 5, name: '李华' },
    signingLeader: { id: 9, name: '赵总' },
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-02T01:00:00Z',
    closedAt: null,
    parts: [
      {
        id: 11,
        unit: { id: 2, name: '机电队' },
        role: 'main',
        state: 'awaiting_sign',
        stateLabel: '待签收',
        handler: null,
        dueDate: '2026-03-20',
        requestedDueDate: null,
        overdue: false,
        supervised: false,
      },
      {
        id: 12,
        unit: { id: 3, name: '通风科' },
        role: 'assist',
        state: 'in_progress',
        stateLabel: '办理中',
        handler: { id: 40, name: '孙丽' },
        dueDate: '2026-03-20',
        requestedDueDate: null,
        overdue: true,
        supervised: true,
      },
    ],
    deadlines: [
      {
        clock: 'sign',
        clockLabel: '签收/异议期限',
        partId: 11,
        dueAt: new Date(now + 5 * H).toISOString(),
        startedAt: '2026-03-02T01:00:00Z',
        state: 'running',
        explanation: ['起算：2026-03-02 09:00（周一）', '第 1 个工作日：2026-03-03（周二），17:30 截止'],
        flags: ['2027 年尚无官方节假日安排，按普通周末计算'],
      },
      {
        clock: 'sign',
        clockLabel: '签收/异议期限',
        partId: 12,
        dueAt: '2026-03-03T09:30:00Z',
        startedAt: '2026-03-02T01:00:00Z',
        state: 'missed',
        explanation: [],
        flags: [],
      },
    ],
    actions: [
      { action: 'sign', label: '签收', partId: 11 },
      { action: 'object', label: '提出异议', partId: 11 },
    ],
    editable: false,
    watching: false,
    timeline: [
      {
        id: 1,
        at: '2026-03-01T01:00:00Z',
        actor: '李华',
        action: 'create',
        label: '起草',
        partId: null,
        unitName: '安全环保部',
        fromState: null,
        toState: 'draft',
        revision: 0,
        data: null,
      },
      {
        id: 2,
        at: '2026-03-02T01:00:00Z',
        actor: '赵总',
        action: 'issue',
        label: '签发',
        partId: null,
        unitName: null,
        fromState: 'pending_issue',
        toState: 'issued',
        revision: 1,
        data: { note: '请尽快办理' },
      },
    ],
    attachments: [{ id: 3, name: '现场照片.jpg', mime: 'image/jpeg', size: 204800, partId: null, createdAt: '2026-03-01T02:00:00Z' }],
    links: [],
    ...over,
  };
}

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const render = () => renderAt(<CaseDetailPage />, { path: '/cases/7', route: '/cases/:id' });

/** The buttons that carry out case actions, by action name. */
const actionButtons = () => [...document.querySelectorAll<HTMLElement>('button[data-action]')].map((b) => b.dataset.action);

describe('联系单详情 (case detail)', () => {
  it('shows the form, its receiving units, deadlines and history, and only the actions the server allows', async () => {
    mockApi({ 'GET /cases/:id': detail() });
    const user = userEvent.setup();
    render();

    expect(await screen.findByRole('heading', { name: '请协助检修 3 号皮带机' })).toBeTruthy();
    expect(screen.getByTestId('case-number').textContent).toContain('LXD-2026-0007');
    expect(screen.getByTestId('case-body').textContent).toBe('3 号皮带机跑偏，请机电队派人检修。');

    // Only what the server said: 签收 and 提出异议 on 机电队's part, nothing on the form or on 通风科.
    expect(actionButtons().sort()).toEqual(['object', 'sign']);
    const main = screen.getByTestId('part-11');
    expect(within(main).getByRole('button', { name: /签\s?收/ })).toBeTruthy();
    expect(within(screen.getByTestId('part-12')).queryAllByRole('button', { name: /签\s?收|异议/ })).toHaveLength(0);
    expect(screen.queryByTestId('edit-case')).toBeNull();
    expect(within(screen.getByTestId('case-actions')).getByText('请在下方的收单单位中办理')).toBeTruthy();

    // 通风科 is late and under supervision; its handler shows.
    const assist = screen.getByTestId('part-12');
    expect(within(assist).getByText('已超期')).toBeTruthy();
    expect(within(assist).getByText('督办中')).toBeTruthy();
    expect(within(assist).getByText('孙丽')).toBeTruthy();

    // The running deadline counts down, warns, and explains itself.
    expect(within(main).getByTestId('countdown').textContent).toMatch(/^剩 [45]小时$/);
    expect(within(main).getByText('2027 年尚无官方节假日安排，按普通周末计算')).toBeTruthy();
    await user.click(within(main).getByRole('button', { name: '期限计算过程' }));
    expect((await screen.findByTestId('deadline-explanation')).textContent).toContain('第 1 个工作日：2026-03-03（周二），17:30 截止');

    // History: events with their data, and the missed deadline.
    const timeline = screen.getByTestId('case-timeline');
    expect(within(timeline).getByText('请尽快办理')).toBeTruthy();
    expect(within(timeline).getByTestId('timeline-missed').textContent).toContain('超期：签收/异议期限（通风科）');
    expect(screen.getByText(/现场照片\.jpg/)).toBeTruthy();
  });

  it('签收 asks for the handler and posts {action, partId, version, input:{handlerPersonId}}', async () => {
    const signed = detail({
      version: 4,
      actions: [{ action: 'progress', label: '报告进展', partId: 11 }],
      parts: detail().parts.map((p) => (p.id === 11 ? { ...p, state: 'in_progress', stateLabel: '办理中', handler: { id: 31, name: '王强' } } : p)),
    });
    const api = mockApi({
      'GET /cases/:id/parts/:partId/members': [
        { id: 31, name: '王强', post: '机电技术员' },
        { id: 32, name: '刘洋', post: '班长' },
      ],
      'GET /cases/:id': detail(),
      'POST /cases/:id/actions': signed,
    });
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole('button', { name: /签\s?收/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('签收（机电队）')).toBeTruthy();
    await waitFor(() => expect(api.find('GET', '/cases/7/parts/11/members')).toHaveLength(1));

    // Without a handler the form does not go out.
    await user.click(within(dialog).getByRole('button', { name: /签\s?收/ }));
    expect(await within(dialog).findByText('请选择承办人')).toBeTruthy();
    expect(api.find('POST', '/cases/7/actions')).toHaveLength(0);

    await user.click(within(dialog).getByRole('combobox', { name: '承办人' }));
    await user.click(await screen.findByTitle('王强 · 机电技术员'));
    await user.click(within(dialog).getByRole('button', { name: /签\s?收/ }));

    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'sign', partId: 11, version: 3, input: { handlerPersonId: 31 } });
    // The answer is the new state: its actions replace the old ones.
    await waitFor(() => expect(actionButtons()).toEqual(['progress']));
    expect(within(screen.getByTestId('part-11')).getByText('王强')).toBeTruthy();
  });

  it('a 409 shows the server message and loads the case again', async () => {
    let gets = 0;
    const moved = detail({ version: 4, actions: [] });
    const api = mockApi({
      'GET /cases/:id': () => (++gets === 1 ? detail() : moved),
      'POST /cases/:id/actions': reply(409, {
        error: { code: 'ACTION_NOT_ALLOWED', message: '当前状态（已签收）下不能执行“提出异议”；您现在可以：报告进展', details: [] },
      }),
    });
    const user = userEvent.setup();
    render();

    await user.click(await screen.findByRole('button', { name: '提出异议' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByLabelText('完成时限'));
    await user.type(within(dialog).getByRole('textbox', { name: '理由' }), '期限太短，无法完成');
    await user.click(within(dialog).getByRole('button', { name: '提出异议' }));

    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({
      action: 'object',
      partId: 11,
      version: 3,
      input: { about: 'deadline', reason: '期限太短，无法完成' },
    });
    // On the page (and in a toast), not in a dialog that no longer applies.
    await waitFor(() => expect(screen.getAllByRole('alert').some((a) => a.textContent?.includes('当前状态（已签收）下不能执行“提出异议”'))).toBe(true));
    await waitFor(() => expect(gets).toBe(2));
    await waitFor(() => expect(actionButtons()).toEqual([]));
    expect(screen.getByText('当前没有需要你办理的事项')).toBeTruthy();
  });

  it('shows a generic confirmation for an action the UI does not know', async () => {
    const api = mockApi({
      'GET /cases/:id': detail({ actions: [{ action: 'remind', label: '催办', partId: null }] }),
      'POST /cases/:id/actions': detail({ actions: [] }),
    });
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByRole('button', { name: /催\s?办/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('确定要“催办”吗？')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: /催\s?办/ }));
    await waitFor(() => expect(api.find('POST', '/cases/7/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/7/actions')[0]!.body).toEqual({ action: 'remind', version: 3 });
  });
  it('puts the actions I may take in a sticky bar at the top of the case on a 375 px phone, and not on a desktop', async () => {
    mockApi({ 'GET /cases/:id': detail() });
    render();
    await screen.findByTestId('case-actions');
    expect(screen.queryByTestId('case-action-bar')).toBeNull();
    cleanup();

    const happy = (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM;
    happy.setViewport({ width: 375, height: 812 });
    try {
      mockApi({ 'GET /cases/:id': detail() });
      const user = userEvent.setup();
      render();
      const bar = await screen.findByTestId('case-action-bar');
      expect(bar.className).toBe('case-action-bar');
      expect(
        within(bar)
          .getAllByRole('button')
          .map((b) => b.textContent?.replace(/\s/g, '')),
      ).toEqual(['签收（机电队）', '提出异议（机电队）']);
      // It comes before the form itself.
      const content = screen.getByText('3 号皮带机跑偏，请机电队派人检修。');
      expect(bar.compareDocumentPosition(content) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      await user.click(within(bar).getByRole('button', { name: /提出异议/ }));
      expect(await screen.findByRole('dialog')).toBeTruthy();
    } finally {
      happy.setViewport({ width: 1024, height: 768 });
    }
  });
});
