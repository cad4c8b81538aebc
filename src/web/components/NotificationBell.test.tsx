// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { POLL_MS } from '../lib/queries.js';
import { mockApi, renderAt } from '../testing/mockApi.js';
import type { NotificationListView } from '../types.js';
import { NotificationBell } from './NotificationBell.js';

const LIST: NotificationListView = {
  items: [
    {
      id: 501,
      caseId: 7,
      caseNumber: 'LXD-2026-0007',
      assessmentId: null,
      kind: 'cf.issued',
      text: '工作联系单 LXD-2026-0007《请协助检修 3 号皮带机》已签发，请于 2026-03-03 17:30 前签收或提出异议',
      createdAt: '2026-03-02T01:00:00Z',
      read: false,
    },
    {
      id: 502,
      caseId: 8,
      caseNumber: 'LXD-2026-0008',
      assessmentId: null,
      kind: 'cf.replied',
      text: '机电队 提交了工作联系单 LXD-2026-0008 的工作回复单',
      createdAt: '2026-03-02T02:00:00Z',
      read: false,
    },
  ],
  total: 5,
  unread: 5,
  page: 1,
  pageSize: 8,
};

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the notification bell', () => {
  it('shows the unread count; a click on a notification marks it read and opens its case', async () => {
    const api = mockApi({ 'GET /notifications': LIST, 'POST /notifications/read': { ok: true } });
    const user = userEvent.setup();
    renderAt(<NotificationBell />, { path: '/cases', route: '*' });

    const bell = await screen.findByTestId('notification-bell');
    await waitFor(() => expect(within(bell).getByTestId('notification-count').textContent).toContain('5'));
    expect(bell.getAttribute('aria-label')).toBe('通知 5 条未读');
    const asked = api.find('GET', '/notifications')[0]!;
    expect(asked.query.get('unreadOnly')).toBe('true');

    await user.click(bell);
    const item = await screen.findByTestId('notification-502');
    expect(item.textContent).toContain('机电队 提交了工作联系单 LXD-2026-0008 的工作回复单');
    await user.click(item);
    await waitFor(() => expect(api.find('POST', '/notifications/read')).toHaveLength(1));
    expect(api.find('POST', '/notifications/read')[0]!.body).toEqual({ ids: [502] });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/cases/8'));
    // The count is asked again after marking.
    await waitFor(() => expect(api.find('GET', '/notifications').length).toBeGreaterThan(1));
  });

  it('shows no count when everything is read, and asks again every 30 s', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = mockApi({ 'GET /notifications': { ...LIST, items: [], unread: 0, total: 0 } });
    renderAt(<NotificationBell />, { path: '/cases', route: '*' });
    const bell = await screen.findByTestId('notification-bell');
    await waitFor(() => expect(api.find('GET', '/notifications')).toHaveLength(1));
    expect(bell.getAttribute('aria-label')).toBe('通知');
    expect(bell.querySelector('.ant-badge-count')).toBeNull();
    await vi.advanceTimersByTimeAsync(POLL_MS + 100);
    await waitFor(() => expect(api.find('GET', '/notifications')).toHaveLength(2));
  });
});
