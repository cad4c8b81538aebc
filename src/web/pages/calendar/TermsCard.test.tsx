// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n/index.js';
import { mockApi, renderAt, reply } from '../../testing/mockApi.js';
import { TermsCard } from './TermsCard.js';

beforeAll(() => {
  setupI18n('zh-CN');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const AUTUMN = { name: '2026 秋季学期', startsOn: '2026-09-01', endsOn: '2027-01-22' };

describe('学期 on the calendar page', { timeout: 60_000 }, () => {
  it('lists the terms with their length; whoever may not manage the calendar gets no button', async () => {
    mockApi({ 'GET /calendar/terms': { terms: [AUTUMN] } });
    renderAt(<TermsCard manage={false} />, { path: '/calendar', route: '/calendar' });
    expect(await screen.findByText('2026 秋季学期')).toBeTruthy();
    expect(screen.getByText('2026-09-01 至 2027-01-22，共 144 天')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /设置学期/ })).toBeNull();
  });

  it('adds a term and saves them all; the server’s refusal lands on the term it names', async () => {
    let refuse = true;
    const api = mockApi({
      'GET /calendar/terms': { terms: [AUTUMN] },
      'PUT /calendar/terms': (call: { body: unknown }) =>
        refuse
          ? reply(400, { error: { code: 'VALIDATION', message: '请求有误', details: [{ path: 'terms.1.startsOn', message: '与另一个学期有重叠的日期' }] } })
          : call.body,
    });
    const user = userEvent.setup();
    renderAt(<TermsCard manage />, { path: '/calendar', route: '/calendar' });
    await screen.findByText('2026 秋季学期');
    await user.click(screen.getByRole('button', { name: /设置学期/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /添加学期/ }));
    await user.type(within(dialog).getByLabelText('学期名称 2'), '2027 春季学期');
    await user.click(within(dialog).getByLabelText('开学日期 2'));
    await user.type(within(dialog).getByLabelText('开学日期 2'), '2027-01-20{Enter}');
    await user.click(within(dialog).getByLabelText('结束日期 2'));
    await user.type(within(dialog).getByLabelText('结束日期 2'), '2027-07-02{Enter}');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(api.find('PUT', '/calendar/terms')).toHaveLength(1));
    expect(api.find('PUT', '/calendar/terms')[0]?.body).toEqual({
      terms: [AUTUMN, { name: '2027 春季学期', startsOn: '2027-01-20', endsOn: '2027-07-02' }],
    });
    expect(await within(dialog).findByText('与另一个学期有重叠的日期')).toBeTruthy();

    refuse = false;
    await user.clear(within(dialog).getByLabelText('开学日期 2'));
    await user.type(within(dialog).getByLabelText('开学日期 2'), '2027-02-22{Enter}');
    await user.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(api.find('PUT', '/calendar/terms')).toHaveLength(2));
    expect((api.find('PUT', '/calendar/terms')[1]?.body as { terms: unknown[] }).terms[1]).toEqual({
      name: '2027 春季学期',
      startsOn: '2027-02-22',
      endsOn: '2027-07-02',
    });
  });
});
