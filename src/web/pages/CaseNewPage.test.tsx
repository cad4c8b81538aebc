// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { mockApi, renderAt, reply } from '../testing/mockApi.js';
import type { UnitView } from '../types.js';
import CaseNewPage from './CaseNewPage.js';

const unit = (id: number, name: string, parentId: number | null, path: string): UnitView =>
  ({
    id,
    name,
    code: `U${id}`,
    parentId,
    path,
    depth: path.split('/').filter(Boolean).length - 1,
    sortOrder: id,
    active: true,
    typeCode: 'department',
  }) as unknown as UnitView;

const UNITS = [
  unit(100, '华岳能源集团', null, '/100/'),
  unit(1, '安全环保部', 100, '/100/1/'),
  unit(2, '机电队', 100, '/100/2/'),
  unit(3, '通风科', 100, '/100/3/'),
];

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const rows = () => screen.getAllByTestId('receiver-row');
const roleButton = (row: HTMLElement, name: '主办' | '协办') => within(row).getByRole('radio', { name: new RegExp(`^${name[0]}\\s?${name[1]}$`) });
/** antd's radio input takes no pointer events: users click its label. */
const choose = (user: ReturnType<typeof userEvent.setup>, row: HTMLElement, name: '主办' | '协办') => user.click(roleButton(row, name).closest('label')!);
const receiversError = () => screen.getByTestId('receivers-error').textContent ?? '';

/** Picks a unit in the row's tree select (opened by mouse-down, like a user's click). */
async function pickUnit(user: ReturnType<typeof userEvent.setup>, row: HTMLElement, name: string) {
  fireEvent.mouseDown(within(row).getByRole('combobox'));
  const popups = await screen.findAllByRole('tree');
  const popup = popups.at(-1)!.closest('.ant-select-dropdown') as HTMLElement;
  await user.click(within(popup).getByTitle(name));
}

describe('发起工作联系单 (the new contact form)', () => {
  it('needs exactly one 主办; choosing 主办 on one unit makes the others 协办', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /cases/receiver-units': UNITS,
      'GET /cases/signing-leaders': [{ id: 9, name: '赵总', post: '副总经理', unitName: '华岳能源集团' }],
    });
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });

    // The initiating unit is the user's own; its only leader is chosen.
    await waitFor(() => expect(api.find('GET', '/cases/signing-leaders')[0]?.query.get('unitId')).toBe('1'));
    expect(await screen.findByTitle('赵总 · 副总经理 · 华岳能源集团')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: /添加收单单位/ }));
    expect(rows()).toHaveLength(2);
    expect((roleButton(rows()[0]!, '主办') as HTMLInputElement).checked).toBe(true);
    expect((roleButton(rows()[1]!, '协办') as HTMLInputElement).checked).toBe(true);

    // Nobody 主办: the form does not go out.
    await choose(user, rows()[0]!, '协办');
    await user.click(screen.getByTestId('submit-case'));
    await waitFor(() => expect(receiversError()).toBe('须有且只有一个主办单位'));
    expect(api.find('POST', '/cases')).toHaveLength(0);

    // 主办 on the second unit: the first stays 协办 and the problem is gone.
    await choose(user, rows()[1]!, '主办');
    await waitFor(() => expect(receiversError()).toBe(''));
    expect((roleButton(rows()[0]!, '协办') as HTMLInputElement).checked).toBe(true);

    // 主办 on the first again: the second becomes 协办 by itself, never two.
    await choose(user, rows()[0]!, '主办');
    expect((roleButton(rows()[0]!, '主办') as HTMLInputElement).checked).toBe(true);
    expect((roleButton(rows()[1]!, '协办') as HTMLInputElement).checked).toBe(true);
  });

  it('creates the form and sends it for signature', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /cases/receiver-units': UNITS,
      'GET /cases/signing-leaders': [{ id: 9, name: '赵总', post: '副总经理', unitName: '华岳能源集团' }],
      'POST /cases': { id: 42, number: 'LXD-2026-0042' },
      'POST /cases/:id/actions': { ok: true },
    });
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });
    await screen.findByTitle('赵总 · 副总经理 · 华岳能源集团');

    await user.type(screen.getByLabelText('标题'), '请协助检修 3 号皮带机');
    await user.type(screen.getByLabelText('工作内容及要求'), '3 号皮带机跑偏，请派人检修。');
    const date = screen.getByRole('textbox', { name: '完成时限' });
    await user.click(date);
    await user.type(date, '2099-03-20{Enter}');

    await pickUnit(user, rows()[0]!, '机电队');
    await user.click(screen.getByRole('button', { name: /添加收单单位/ }));
    await pickUnit(user, rows()[1]!, '通风科');

    await user.click(screen.getByTestId('submit-case'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'contact_form',
      initiatorUnitId: 1,
      fields: {
        title: '请协助检修 3 号皮带机',
        body: '3 号皮带机跑偏，请派人检修。',
        dueDate: '2099-03-20',
        receivers: [
          { unitId: 2, role: 'main' },
          { unitId: 3, role: 'assist' },
        ],
        signingLeaderPersonId: 9,
      },
    });
    await waitFor(() => expect(api.find('POST', '/cases/42/actions')).toHaveLength(1));
    expect(api.find('POST', '/cases/42/actions')[0]!.body).toEqual({ action: 'submit' });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/cases/42'));
  });

  it("puts the server's field problems (fields.receivers) on the receivers", async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /cases/receiver-units': UNITS,
      'GET /cases/signing-leaders': [{ id: 9, name: '赵总', post: '副总经理', unitName: '华岳能源集团' }],
      'POST /cases': reply(400, {
        error: { code: 'VALIDATION', message: '请求有误', details: [{ path: 'fields.receivers', message: '不能向本单位发工作联系单' }] },
      }),
    });
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });
    await screen.findByTitle('赵总 · 副总经理 · 华岳能源集团');
    await user.type(screen.getByLabelText('标题'), '标题');
    await user.type(screen.getByLabelText('工作内容及要求'), '内容');
    const date = screen.getByRole('textbox', { name: '完成时限' });
    await user.click(date);
    await user.type(date, '2099-03-20{Enter}');
    await pickUnit(user, rows()[0]!, '机电队');
    await user.click(screen.getByTestId('save-draft'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    await waitFor(() => expect(receiversError()).toBe('不能向本单位发工作联系单'));
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))).toHaveLength(0);
  });
  it('保存草稿 saves a half-written form: a title is enough, nothing else is asked for and nothing is sent on', async () => {
    const api = mockApi({
      'GET /units': UNITS,
      'GET /cases/receiver-units': UNITS,
      'GET /cases/signing-leaders': [{ id: 9, name: '赵总', post: '副总经理', unitName: '华岳能源集团' }],
      'POST /cases': { id: 43, number: 'LXD-2026-0043' },
    });
    const user = userEvent.setup();
    renderAt(<CaseNewPage />, { path: '/cases/new', route: '/cases/new' });
    await screen.findByTitle('赵总 · 副总经理 · 华岳能源集团');

    // Without a title there is nothing to save.
    await user.click(screen.getByTestId('save-draft'));
    expect(await screen.findByText('请填写标题')).toBeTruthy();
    expect(api.find('POST', '/cases')).toHaveLength(0);

    await user.type(screen.getByLabelText('标题'), '皮带机检修（未写完）');
    await user.click(screen.getByTestId('save-draft'));
    await waitFor(() => expect(api.find('POST', '/cases')).toHaveLength(1));
    // What is not filled in is left out: an empty receiver row, no text, no date.
    expect(api.find('POST', '/cases')[0]!.body).toEqual({
      type: 'contact_form',
      initiatorUnitId: 1,
      fields: { title: '皮带机检修（未写完）', signingLeaderPersonId: 9 },
    });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/cases/43'));
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))).toHaveLength(0);
  });
});
