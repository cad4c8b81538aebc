// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n/index.js';
import { TEXT_LIMITS } from '../../lib/limits.js';
import { mockApi, renderAt } from '../../testing/mockApi.js';
import type { PersonView } from '../../types.js';
import { PersonFormModal } from './PersonFormModal.js';

const PERSON: PersonView = { id: 9, name: '王强', gender: 'male', post: '巡检', employeeNo: 'E9', phone: null, status: 'active' };

beforeAll(() => {
  setupI18n('zh-CN');
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('nothing is cut silently: a text input shows its limit and refuses more with a message', () => {
  it('keeps pasted text whole, counts it against the limit, and refuses to save it naming the field', async () => {
    const api = mockApi({ 'GET /roles': [], 'PATCH /people/9': PERSON });
    renderAt(<PersonFormModal open person={PERSON} onClose={() => {}} onSaved={() => {}} />, { path: '/', route: '/' });
    const name = (await screen.findByDisplayValue('王强')) as HTMLInputElement;
    expect(name.maxLength).toBe(-1); // no browser cut-off
    const long = '欧'.repeat(TEXT_LIMITS.personName + 1);
    fireEvent.change(name, { target: { value: long } });
    expect(name.value).toBe(long);
    const item = name.closest('.ant-form-item') as HTMLElement;
    expect(item.textContent).toContain(`${TEXT_LIMITS.personName + 1} / ${TEXT_LIMITS.personName}`);

    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(item.textContent).toContain(`姓名最多 ${TEXT_LIMITS.personName} 个字符`));
    expect(api.find('PATCH', '/people/9')).toHaveLength(0);

    // At the limit it saves.
    fireEvent.change(name, { target: { value: '欧'.repeat(TEXT_LIMITS.personName) } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(api.find('PATCH', '/people/9')).toHaveLength(1));
    expect(api.find('PATCH', '/people/9')[0]?.body).toMatchObject({ name: '欧'.repeat(TEXT_LIMITS.personName) });
  });
});
