// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { NAV, navPathFor } from '../nav.js';
import { ME, mockApi, renderAt } from '../testing/mockApi.js';
import { AppLayout } from './AppLayout.js';

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the side menu and header', () => {
  it('puts 工作联系 first for everyone, with the to-do count, and the bell in the header', async () => {
    mockApi({
      'GET /cases': { items: [], total: 3, page: 1, pageSize: 1 },
      'GET /notifications': { items: [], total: 0, unread: 2, page: 1, pageSize: 8 },
    });
    renderAt(<AppLayout />, { path: '/cases/new', route: '*', me: { ...ME, permissions: [] } });
    const items = await screen.findAllByRole('menuitem');
    expect(items.map((i) => i.textContent?.replace(/\d+$/, ''))).toEqual(['待办事项', '发起联系单', '考核台账', '工作日历', '期限计算', '我的账号']);
    expect(screen.getByText('工作联系')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('todo-badge').textContent).toContain('3'));
    // /cases/new selects its own entry, not 待办事项.
    expect(items[1]!.className).toContain('ant-menu-item-selected');
    expect(items[0]!.className).not.toContain('ant-menu-item-selected');
    await waitFor(() => expect(screen.getByTestId('notification-bell').getAttribute('aria-label')).toBe('通知 2 条未读'));
  });

  it('chooses the longest matching menu path', () => {
    expect(navPathFor(NAV, '/cases/new')).toBe('/cases/new');
    expect(navPathFor(NAV, '/cases/12')).toBe('/cases');
    expect(navPathFor(NAV, '/cases')).toBe('/cases');
    expect(navPathFor(NAV, '/casesx')).toBeUndefined();
  });
});
