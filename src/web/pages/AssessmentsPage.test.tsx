// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { mockApi, renderAt } from '../testing/mockApi.js';
import type { AssessmentRow } from '../types.js';
import AssessmentsPage from './AssessmentsPage.js';

const row = (id: number, over: Partial<AssessmentRow>): AssessmentRow => ({
  id,
  rule: 'contact_form.finished_late',
  ruleName: '超出完成时限',
  sourceType: 'case',
  sourceId: 7,
  evidence: 'LXD-2026-0007',
  subjectUnit: { id: 2, name: '机电队' },
  subjectPerson: null,
  points: 2,
  money: 200,
  period: '2026-03',
  state: 'proposed',
  stateLabel: '待确认',
  version: 1,
  proposedAt: '2026-03-21T01:00:00Z',
  confirmedAt: null,
  appealDueAt: null,
  appealReason: null,
  ruling: null,
  rulingReason: null,
  finalAt: null,
  actions: [],
  ...over,
});

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('考核台账 (assessment ledger)', () => {
  it('opens on every period (what needs attention comes first from the server) and offers only the allowed actions; 申诉 asks for a reason', async () => {
    const api = mockApi({
      'GET /units': [],
      'GET /assessments': {
        items: [
          row(1, { actions: ['confirm', 'drop'] }),
          row(2, {
            state: 'confirmed',
            stateLabel: '已确认',
            appealDueAt: new Date(Date.now() + 5 * 3600_000).toISOString(),
            actions: ['appeal'],
            subjectUnit: { id: 3, name: '通风科' },
          }),
        ],
        total: 2,
        page: 1,
        pageSize: 20,
      },
      'POST /assessments/:id/actions': { ok: true },
    });
    const user = userEvent.setup();
    renderAt(<AssessmentsPage />, { path: '/assessments', route: '/assessments' });

    const table = await screen.findByTestId('assessments-table');
    await within(table).findByText('通风科');
    expect(api.find('GET', '/assessments')[0]!.query.get('period')).toBeNull();
    const rows = within(table).getAllByRole('row').slice(1);
    const actionsOf = (r: HTMLElement) => [...r.querySelectorAll<HTMLElement>('button[data-action]')].map((b) => b.dataset.action);
    expect(actionsOf(rows[0]!)).toEqual(['confirm', 'drop']);
    expect(actionsOf(rows[1]!)).toEqual(['appeal']);
    expect(within(rows[1]!).getByTestId('countdown').textContent).toMatch(/^剩 [45]小时/);
    expect(within(rows[0]!).getByRole('link', { name: 'LXD-2026-0007' }).getAttribute('href')).toBe('/cases/7');

    await user.click(within(rows[1]!).getByRole('button', { name: /申\s?诉/ }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByRole('textbox', { name: '申诉理由' }), '延期已获签发领导同意');
    await user.click(within(dialog).getByRole('button', { name: /申\s?诉/ }));
    await waitFor(() => expect(api.find('POST', '/assessments/2/actions')).toHaveLength(1));
    expect(api.find('POST', '/assessments/2/actions')[0]!.body).toEqual({ action: 'appeal', reason: '延期已获签发领导同意', version: 1 });
  });

  it('opens the entry a notification is about, highlighted above the list, with its actions', async () => {
    const entry = row(9, { period: '2026-01', actions: ['confirm', 'drop'], subjectUnit: { id: 4, name: '运输队' } });
    const api = mockApi({
      'GET /units': [],
      'GET /assessments': { items: [row(1, {}), entry], total: 2, page: 1, pageSize: 20 },
      'GET /assessments/:id': entry,
    });
    renderAt(<AssessmentsPage />, { path: '/assessments?entry=9', route: '/assessments' });
    const card = await screen.findByTestId('assessment-entry', {}, { timeout: 5000 });
    expect(within(card).getByText('通知提到的考核事项')).toBeTruthy();
    expect(within(card).getByText('运输队')).toBeTruthy();
    expect([...card.querySelectorAll<HTMLElement>('button[data-action]')].map((b) => b.dataset.action)).toEqual(['confirm', 'drop']);
    expect(api.find('GET', '/assessments/9')).toHaveLength(1);
    const table = await screen.findByTestId('assessments-table');
    await within(table).findAllByText('运输队');
    const highlighted = table.querySelectorAll('tr.row-highlight');
    expect(highlighted).toHaveLength(1);
    expect(within(highlighted[0] as HTMLElement).getByText('运输队')).toBeTruthy();
  });
});
