// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { ME, mockApi, renderAt } from '../testing/mockApi.js';
import type { MeView, PolicyView, UnitView } from '../types.js';
import PoliciesPage from './PoliciesPage.js';

const unit = (id: number, parentId: number | null, name: string, path: string): UnitView => ({
  id,
  parentId,
  typeCode: 'department',
  code: `U${id}`,
  name,
  path,
  depth: path.split('/').length - 3,
  sortOrder: id,
  active: true,
});
const UNITS = [unit(1, null, '华岳能源集团', '/1/'), unit(2, 1, '煤矿', '/1/2/'), unit(3, 2, '综采队', '/1/2/3/')];
const policy = (key: string, over: Partial<PolicyView>): PolicyView => ({
  key,
  value: 1,
  default: 1,
  source: `依据 ${key}`,
  scope: 'unit',
  overridden: false,
  origin: { kind: 'default' },
  ...over,
});
const AT_TEAM = [
  policy('contactForm.signWorkingDays', { value: 3, origin: { kind: 'unit', unitId: 2, unitName: '煤矿' } }),
  policy('contactForm.reviewWorkingDays', { value: 4, overridden: true, origin: { kind: 'unit', unitId: 3, unitName: '综采队' } }),
  policy('assessment.appealWorkingDays', {}),
  policy('backup.hour', { value: 2, default: 2, scope: 'org', origin: { kind: 'organization' } }),
];
const ADMIN: MeView = {
  ...ME,
  grants: [{ role: 'office', roleName: '办公室', unitId: 1, unitName: '华岳能源集团', permissions: ['org.read', 'policy.manage'] }],
  permissions: ['org.read', 'policy.manage'],
};

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('制度参数 (policies per unit)', () => {
  it('shows at a unit the value in force and where it comes from, sets an override there and clears one', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /policies': (call: { query: URLSearchParams }) => (call.query.get('unitId') === '3' ? AT_TEAM : []),
      'PUT /policies/units/:unitId': AT_TEAM,
    });
    const user = userEvent.setup();
    renderAt(<PoliciesPage />, { path: '/policies?unitId=3', route: '/policies', me: ADMIN });

    const table = await screen.findByTestId('policy-table');
    const row = (key: string) => within(table).getByText(key).closest('tr') as HTMLElement;
    await within(table).findByText('contactForm.signWorkingDays');
    expect(within(row('contactForm.signWorkingDays')).getByText('继承自 煤矿')).toBeTruthy();
    expect(within(row('contactForm.reviewWorkingDays')).getByText('本单位设置')).toBeTruthy();
    expect(within(row('assessment.appealWorkingDays')).getByText('默认')).toBeTruthy();
    // An install-wide policy cannot be set per unit: no edit button, a tag says so.
    expect(within(row('backup.hour')).getByText('全单位统一')).toBeTruthy();
    expect(within(row('backup.hour')).queryByRole('button', { name: /修改/ })).toBeNull();
    // Only a unit's own value can be cleared.
    expect(within(row('contactForm.signWorkingDays')).queryByRole('button', { name: /恢复继承/ })).toBeNull();

    await user.click(within(row('contactForm.signWorkingDays')).getByRole('button', { name: /修改/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('为“综采队”设置制度参数')).toBeTruthy();
    const input = within(dialog).getByLabelText('取值');
    await user.clear(input);
    await user.type(input, '5');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(api.find('PUT', '/policies/units/3')).toHaveLength(1));
    expect(api.find('PUT', '/policies/units/3')[0]?.body).toEqual({ values: { 'contactForm.signWorkingDays': 5 } });

    await user.click(within(row('contactForm.reviewWorkingDays')).getByRole('button', { name: /恢复继承/ }));
    await waitFor(() => expect(api.find('PUT', '/policies/units/3')).toHaveLength(2));
    expect(api.find('PUT', '/policies/units/3')[1]?.body).toEqual({ values: { 'contactForm.reviewWorkingDays': null } });
  });

  it('shows the organization’s values when no unit is chosen, and the server’s field error in the dialog', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /policies': [policy('contactForm.signWorkingDays', { value: 2, overridden: true, origin: { kind: 'organization' } })],
      'PUT /policies/:key': () =>
        new Response(JSON.stringify({ error: { code: 'VALIDATION', message: '输入有误', details: [{ path: 'value', message: '不能大于 30' }] } }), {
          status: 400,
          headers: { 'content-type': 'application/json' },
        }),
    });
    const user = userEvent.setup();
    renderAt(<PoliciesPage />, { path: '/policies', route: '/policies', me: ADMIN });
    const table = await screen.findByTestId('policy-table');
    await within(table).findByText('全单位设置');
    expect(api.find('GET', '/policies')[0]?.query.get('unitId')).toBeNull();
    await user.click(within(table).getByRole('button', { name: /修改/ }));
    const dialog = await screen.findByRole('dialog');
    const input = within(dialog).getByLabelText('取值');
    await user.clear(input);
    await user.type(input, '31');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    expect(await within(dialog).findByText('不能大于 30')).toBeTruthy();
    expect(api.find('PUT', '/policies/contactForm.signWorkingDays')[0]?.body).toEqual({ value: 31 });
  });

  it('lays the policies out as cards on a 375 px phone, with the same sources and buttons', async () => {
    const phone = (window as unknown as { happyDOM: { setViewport: (v: { width: number; height: number }) => void } }).happyDOM;
    const width = window.innerWidth;
    const height = window.innerHeight;
    phone.setViewport({ width: 375, height: 812 });
    try {
      mockApi({ 'GET /units': UNITS, 'GET /policies': AT_TEAM });
      renderAt(<PoliciesPage />, { path: '/policies?unitId=3', route: '/policies', me: ADMIN });
      const cards = await screen.findByTestId('policy-cards');
      await within(cards).findByText('继承自 煤矿');
      expect(screen.queryByTestId('policy-table')).toBeNull();
      expect(within(cards).getAllByRole('button', { name: /修改/ })).toHaveLength(3);
    } finally {
      phone.setViewport({ width, height });
    }
  });
});
