// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n/index.js';
import { mockApi, renderAt } from '../../testing/mockApi.js';
import type { CaseTimelineEntry, DelegationView } from '../../types.js';
import { CaseTimeline } from '../cases/CaseTimeline.js';
import { Delegations } from './Delegations.js';

const ACTIVE: DelegationView = {
  id: 7,
  principal: { id: 5, name: '李华' },
  deputy: { id: 9, name: '王五' },
  from: '2026-09-29T00:00:00.000Z',
  until: '2026-10-02T00:00:00.000Z',
  reason: '出差',
  createdBy: { id: 5, name: '李华' },
  createdAt: '2026-09-28T00:00:00.000Z',
  revokedAt: null,
  status: 'active',
};

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('委托代理 on the Me page', () => {
  it('lists delegations with their state, creates one for a colleague and revokes one', async () => {
    const api = mockApi({
      'GET /delegations': [ACTIVE, { ...ACTIVE, id: 6, status: 'ended', reason: '休假' }],
      'GET /cases/unit-members': [
        { id: 5, name: '李华', post: null },
        { id: 9, name: '王五', post: '副主任' },
      ],
      'POST /delegations': ACTIVE,
      'POST /delegations/:id/revoke': { ...ACTIVE, status: 'revoked' },
    });
    const user = userEvent.setup();
    renderAt(<Delegations />, { path: '/me', route: '/me' });
    const rows = await screen.findAllByTestId('delegation');
    expect(within(rows[0] as HTMLElement).getByText('李华 委托 王五')).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByText('生效中')).toBeTruthy();
    // Only one still in force can be revoked.
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: /撤\s*销/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: /新建委托/ }));
    await user.click(screen.getByRole('combobox'));
    // The list offers colleagues, not oneself.
    await user.click(await screen.findByText('王五 · 副主任'));
    await user.type(screen.getByLabelText('事由'), '出差');
    await user.click(screen.getByRole('button', { name: /新\s*建$/ }));
    await waitFor(() => expect(api.find('POST', '/delegations')).toHaveLength(1));
    const body = api.find('POST', '/delegations')[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ deputyPersonId: 9, reason: '出差' });
    expect(Date.parse(String(body.until))).toBeGreaterThan(Date.parse(String(body.from)));

    await user.click(within(rows[0] as HTMLElement).getByRole('button', { name: /撤\s*销/ }));
    await user.click(await screen.findByRole('button', { name: /确\s*定|OK/ }));
    await waitFor(() => expect(api.find('POST', '/delegations/7/revoke')).toHaveLength(1));
  });
});

describe('the timeline names whom a deputy acted for', () => {
  const event = (over: Partial<CaseTimelineEntry>): CaseTimelineEntry => ({
    id: 1,
    at: '2026-09-29T02:00:00.000Z',
    actor: '王五',
    actorKind: 'person',
    action: 'issue',
    label: '签发',
    partId: null,
    unitName: null,
    fromState: 'pending_issue',
    toState: 'issued',
    revision: 1,
    data: null,
    onBehalfOf: null,
    ...over,
  });

  it('shows 王五（代 李四） in Chinese and "Wang (for Li)" in English', async () => {
    const view = render(
      <CaseTimeline events={[event({ onBehalfOf: { personId: 4, name: '李四' } }), event({ id: 2, actor: '张三' })]} deadlines={[]} parts={[]} />,
    );
    expect(screen.getByText('王五（代 李四）')).toBeTruthy();
    expect(screen.getByText('张三')).toBeTruthy();
    view.unmount();
    setupI18n('en');
    render(<CaseTimeline events={[event({ actor: 'Wang', onBehalfOf: { personId: 4, name: 'Li' } })]} deadlines={[]} parts={[]} />);
    expect(screen.getByText('Wang (for Li)')).toBeTruthy();
    setupI18n('zh-CN');
  });
});
