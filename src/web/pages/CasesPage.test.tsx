// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { CaseListView, CaseSummaryView } from '../types.js';
import CasesPage from './CasesPage.js';

const H = 3600_000;

function summary(id: number, over: Partial<CaseSummaryView>): CaseSummaryView {
  return {
    id,
    type: 'contact_form',
    number: `LXD-2026-00${id}`,
    title: `联系单 ${id}`,
    state: 'issued',
    stateLabel: '已签发',
    initiatorUnitId: 1,
    dueDate: '2026-03-20',
    taskDueAt: null,
    overdue: false,
    parts: [{ id: id * 10, unitName: '机电队', role: 'main', state: 'awaiting_sign', stateLabel: '待签收', overdue: false }],
    createdAt: '2026-03-01T01:00:00Z',
    updatedAt: '2026-03-01T01:00:00Z',
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

describe('待办事项 (the case inbox)', () => {
  it('shows a live countdown, overdue in red, the soonest deadline first', async () => {
    const now = Date.now();
    const list: CaseListView = {
      items: [
        summary(1, { title: '请协助检修皮带机', taskDueAt: new Date(now + 3 * H + 10 * 60_000).toISOString() }),
        summary(2, {
          title: '提供三月份安全检查记录',
          taskDueAt: new Date(now - 2 * 24 * H - H).toISOString(),
          overdue: true,
          parts: [{ id: 20, unitName: '通风科', role: 'main', state: 'awaiting_sign', stateLabel: '待签收', overdue: true }],
        }),
        summary(3, { title: '没有期限的事项', taskDueAt: null }),
      ],
      total: 3,
      page: 1,
      pageSize: 20,
    };
    mockApi({ 'GET /cases': list, 'GET /units': [] });
    renderAt(<CasesPage />, { path: '/cases', route: '/cases' });

    const table = await screen.findByTestId('cases-table');
    await within(table).findByText('请协助检修皮带机');
    const countdowns = within(table).getAllByTestId('countdown');
    expect(countdowns.map((c) => c.textContent)).toEqual(['已超期 2天', '剩 3小时']);
    const late = countdowns[0]!;
    expect(late.dataset.overdue).toBe('true');
    const lateText = late.querySelector('.ant-typography') as HTMLElement;
    expect(lateText.className).toContain('danger');
    expect(lateText.style.color).toMatch(/rgb\(207, 19, 34\)|#cf1322/i);
    expect(countdowns[1]!.dataset.overdue).toBe('false');

    // 待办: soonest deadline first, rows without a deadline last.
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('提供三月份安全检查记录'),
      expect.stringContaining('请协助检修皮带机'),
      expect.stringContaining('没有期限的事项'),
    ]);
    // The late receiving unit is marked too.
    expect(within(rows[0]!).getByText('通风科').closest('[data-overdue]')).not.toBeNull();
  });

  it('asks the server for the chosen tab and filters', async () => {
    const api = mockApi({ 'GET /cases': { items: [], total: 0, page: 1, pageSize: 20 }, 'GET /units': [] });
    const user = userEvent.setup();
    renderAt(<CasesPage />, { path: '/cases', route: '/cases' });

    await screen.findByText('没有待办事项');
    const first = api.find('GET', '/cases')[0]!;
    expect(Object.fromEntries(first.query)).toEqual({ tab: 'todo', page: '1', pageSize: '20' });

    await user.click(screen.getByRole('tab', { name: '我发起的' }));
    await waitFor(() => expect(api.find('GET', '/cases').some((c) => c.query.get('tab') === 'mine')).toBe(true));
    await screen.findByText('你还没有发起过联系单');
    expect(screen.getByTestId('location').textContent).toBe('/cases?tab=mine');

    await user.click(screen.getByRole('tab', { name: '抄送关注' }));
    await waitFor(() => expect(api.find('GET', '/cases').some((c) => c.query.get('tab') === 'watching')).toBe(true));

    await user.click(screen.getByTestId('overdue-switch'));
    await waitFor(() => expect(api.find('GET', '/cases').some((c) => c.query.get('tab') === 'watching' && c.query.get('overdue') === 'true')).toBe(true));

    await user.type(screen.getByRole('searchbox', { name: '搜索' }), '皮带机{Enter}');
    await waitFor(() => expect(api.find('GET', '/cases').some((c) => c.query.get('q') === '皮带机' && c.query.get('overdue') === 'true')).toBe(true));

    await user.click(screen.getByRole('tab', { name: '全部' }));
    await waitFor(() => expect(api.find('GET', '/cases').at(-1)?.query.get('tab')).toBe('all'));
  });

  it('becomes cards on a 375 px phone', async () => {
    const happy = (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM;
    happy.setViewport({ width: 375, height: 812 });
    try {
      const now = Date.now();
      mockApi({
        'GET /cases': {
          items: [summary(1, { title: '请协助检修皮带机', taskDueAt: new Date(now - 3 * H - 60_000).toISOString(), overdue: true })],
          total: 1,
          page: 1,
          pageSize: 20,
        },
        'GET /units': [],
      });
      renderAt(<CasesPage />, { path: '/cases', route: '/cases' });
      const cards = await screen.findByTestId('cases-cards');
      expect(screen.queryByTestId('cases-table')).toBeNull();
      const card = within(cards).getByTestId('case-card-1');
      expect(card.textContent).toContain('请协助检修皮带机');
      expect(within(card).getByTestId('countdown').textContent).toBe('已超期 3小时');
      expect(card.className).toContain('card-overdue');
    } finally {
      happy.setViewport({ width: 1024, height: 768 });
    }
  });

  it('shows the server message and a retry when the list cannot be loaded', async () => {
    // A 4xx is not asked again (a 5xx would be, after a delay).
    mockApi({ 'GET /cases': reply(403, { error: { code: 'FORBIDDEN', message: '你没有查看这些联系单的权限', details: [] } }), 'GET /units': [] });
    renderAt(<CasesPage />, { path: '/cases', route: '/cases' });
    expect(await screen.findByText('你没有查看这些联系单的权限')).toBeTruthy();
    expect(screen.getByRole('button', { name: /重\s?试/ })).toBeTruthy();
  });
  it('names my task and its countdown as the main badge, coloured by urgency: blue, orange within a working day, red overdue', async () => {
    const now = Date.now();
    const task = (label: string, dueIn: number, soonIn: number) => ({
      label,
      partId: null,
      dueAt: new Date(now + dueIn).toISOString(),
      soonAt: new Date(now + soonIn).toISOString(),
    });
    mockApi({
      'GET /cases': {
        items: [
          // Due in 26 hours but within a working day already (the server says so): orange, not blue.
          summary(1, { title: '请协助检修皮带机', task: task('待我签收', 26 * H, -H), taskDueAt: new Date(now + 26 * H).toISOString() }),
          summary(2, {
            title: '提供安全检查记录',
            task: task('待我验收', 3 * 24 * H + H, 2 * 24 * H),
            taskDueAt: new Date(now + 3 * 24 * H + H).toISOString(),
          }),
          summary(3, { title: '异议待裁定', task: task('待我裁定异议', -2 * H, -26 * H), taskDueAt: new Date(now - 2 * H).toISOString(), overdue: true }),
        ],
        total: 3,
        page: 1,
        pageSize: 20,
      },
      'GET /units': [],
    });
    renderAt(<CasesPage />, { path: '/cases', route: '/cases' });
    const table = await screen.findByTestId('cases-table');
    await within(table).findByText('请协助检修皮带机');
    const badges = within(table).getAllByTestId('task-badge');
    expect(badges.map((b) => [b.textContent, b.dataset.urgency])).toEqual([
      ['待我裁定异议 · 已超期 2小时', 'overdue'],
      ['待我签收 · 剩 1天', 'soon'],
      ['待我验收 · 剩 3天', 'later'],
    ]);
    expect(badges.map((b) => b.className)).toEqual([
      expect.stringContaining('ant-tag-red'),
      expect.stringContaining('ant-tag-orange'),
      expect.stringContaining('ant-tag-blue'),
    ]);
    // The case's state is still there, second.
    expect(within(table).getAllByText('已签发').length).toBe(3);
  });

  it('folds the filters away on a phone and shows my task with its countdown on each card', async () => {
    const happy = (window as unknown as { happyDOM: { setViewport(v: { width: number; height: number }): void } }).happyDOM;
    happy.setViewport({ width: 375, height: 812 });
    try {
      const now = Date.now();
      const api = mockApi({
        'GET /cases': {
          items: [
            summary(1, {
              title: '请协助检修皮带机',
              task: { label: '待我签收', partId: 10, dueAt: new Date(now + 26 * H).toISOString(), soonAt: new Date(now - H).toISOString() },
              taskDueAt: new Date(now + 26 * H).toISOString(),
            }),
          ],
          total: 1,
          page: 1,
          pageSize: 20,
        },
        'GET /units': [],
      });
      const user = userEvent.setup();
      renderAt(<CasesPage />, { path: '/cases?type=notice', route: '/cases' });
      const card = await screen.findByTestId('case-card-1');
      expect(within(card).getByTestId('task-badge').textContent).toBe('待我签收 · 剩 1天');
      expect(screen.queryByTestId('case-filters')).toBeNull();
      const toggle = screen.getByTestId('filters-toggle');
      // One filter is on (the type): the button says so.
      expect(toggle.textContent).toBe('筛选（1）');
      await user.click(toggle);
      expect(await screen.findByTestId('case-filters')).toBeTruthy();
      await user.click(screen.getByTestId('overdue-switch'));
      await waitFor(() => expect(api.find('GET', '/cases').some((c) => c.query.get('overdue') === 'true')).toBe(true));
    } finally {
      happy.setViewport({ width: 1024, height: 768 });
    }
  });
});
