// @vitest-environment happy-dom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { ME, mockApi, renderAt } from '../testing/mockApi.js';
import type { MeView, UnitView } from '../types.js';
import { NextSteps } from './NextSteps.js';

const ADMIN: MeView = { ...ME, permissions: ['org.read', 'org.manage', 'people.read', 'people.manage', 'account.manage'] };
const unit = (id: number, parentId: number | null): UnitView => ({
  id,
  parentId,
  typeCode: 'department',
  code: `U${id}`,
  name: `单位${id}`,
  path: parentId ? `/1/${id}/` : '/1/',
  depth: parentId ? 1 : 0,
  sortOrder: 0,
  active: true,
});

beforeAll(() => setupI18n('zh-CN'));
beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the next steps after setup (units → import people → open accounts)', () => {
  it('links the three steps in order and marks the current one, on a fresh installation (only the administrator)', async () => {
    mockApi({ 'GET /units': [unit(1, null)], 'GET /people': { items: [], total: 1, page: 1, pageSize: 1 }, 'GET /accounts': [{ id: 1 }] });
    renderAt(<NextSteps />, { path: '/org', route: '/org', me: ADMIN });
    const card = await screen.findByTestId('next-steps');
    expect(card.textContent).toContain('接下来三步');
    expect(screen.getByTestId('next-step-units').getAttribute('href')).toBe('/org');
    expect(screen.getByTestId('next-step-import').getAttribute('href')).toBe('/import');
    expect(screen.getByTestId('next-step-accounts').getAttribute('href')).toBe('/accounts');
    expect(card.querySelector('.ant-steps-item-process')?.textContent).toContain('建立单位');
  });

  it('moves on as steps are done, and goes away when all three are', async () => {
    mockApi({ 'GET /units': [unit(1, null), unit(2, 1)], 'GET /people': { items: [], total: 1, page: 1, pageSize: 1 }, 'GET /accounts': [{ id: 1 }] });
    renderAt(<NextSteps />, { path: '/org', route: '/org', me: ADMIN });
    const card = await screen.findByTestId('next-steps');
    expect(card.querySelector('.ant-steps-item-process')?.textContent).toContain('导入人员');
    expect(card.querySelectorAll('.ant-steps-item-finish')).toHaveLength(1);
    cleanup();

    mockApi({
      'GET /units': [unit(1, null), unit(2, 1)],
      'GET /people': { items: [], total: 3, page: 1, pageSize: 1 },
      'GET /accounts': [{ id: 1 }, { id: 2 }],
    });
    const api = renderAt(<NextSteps />, { path: '/org', route: '/org', me: ADMIN });
    await waitFor(() => expect(api.client.isFetching()).toBe(0));
    expect(screen.queryByTestId('next-steps')).toBeNull();
  });

  it('can be dismissed for good, and is not shown to someone who cannot build the organization', async () => {
    mockApi({ 'GET /units': [unit(1, null)], 'GET /people': { items: [], total: 0, page: 1, pageSize: 1 }, 'GET /accounts': [{ id: 1 }] });
    const user = userEvent.setup();
    renderAt(<NextSteps />, { path: '/org', route: '/org', me: ADMIN });
    await user.click(await screen.findByTestId('next-steps-dismiss'));
    expect(screen.queryByTestId('next-steps')).toBeNull();
    cleanup();
    renderAt(<NextSteps />, { path: '/org', route: '/org', me: ADMIN });
    expect(screen.queryByTestId('next-steps')).toBeNull();

    localStorage.clear();
    cleanup();
    const api = mockApi({ 'GET /units': [unit(1, null)] });
    renderAt(<NextSteps />, { path: '/org', route: '/org', me: ME });
    expect(screen.queryByTestId('next-steps')).toBeNull();
    expect(api.calls).toHaveLength(0);
  });
});
