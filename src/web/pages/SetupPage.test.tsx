// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Providers } from '../App.js';
import { setCsrfToken } from '../api.js';
import { setupI18n } from '../i18n/index.js';
import SetupPage from './SetupPage.js';

function reply(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** The form item (label + control + its error) that holds the control with this id. */
const itemOf = (id: string) => {
  const input = document.getElementById(id);
  if (!input) throw new Error(`no #${id}`);
  return input.closest('.ant-form-item') as HTMLElement;
};

beforeAll(() => {
  setupI18n('zh-CN');
  // happy-dom has no layout: antd's Select and Form measure nothing, which is fine here.
  window.scrollTo = () => {};
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function fillSetup(user: ReturnType<typeof userEvent.setup>) {
  await user.type(document.getElementById('setup_organizationName')!, '华岳能源集团');
  await user.type(document.getElementById('setup_admin_name')!, '陈斌');
  await user.type(document.getElementById('setup_admin_username')!, 'admin');
  await user.type(document.getElementById('setup_admin_password')!, 'abc12345');
  await user.type(document.getElementById('setup_admin_passwordConfirm')!, 'abc12345');
  await user.click(screen.getByRole('button', { name: /完成设置并登录/ }));
}

describe('server field errors on the setup form', () => {
  it('puts details[].path (nested like admin.password) on the matching antd Form fields', async () => {
    const fetch = vi.fn(async () =>
      reply(400, {
        error: {
          code: 'WEAK_PASSWORD',
          message: '密码至少 8 位，且须同时包含字母和数字',
          details: [
            { path: 'admin.password', message: '密码太常见，请换一个' },
            { path: 'organizationName', message: '“华岳能源集团”已存在' },
            { path: 'admin.somethingElse', message: '不在表单上的问题' },
          ],
        },
      }),
    );
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    render(
      <Providers>
        <MemoryRouter initialEntries={['/setup']}>
          <SetupPage />
        </MemoryRouter>
      </Providers>,
    );
    await fillSetup(user);

    await waitFor(() => expect(itemOf('setup_admin_password').textContent).toContain('密码太常见，请换一个'));
    expect(itemOf('setup_organizationName').textContent).toContain('“华岳能源集团”已存在');
    // Only where they belong.
    expect(itemOf('setup_admin_username').textContent).not.toContain('密码太常见');
    expect(itemOf('setup_admin_password').querySelector('.ant-form-item-explain-error')).not.toBeNull();
    // The message, and the detail no field could show, are in the alert.
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('密码至少 8 位');
    expect(alert.textContent).toContain('admin.somethingElse');
    expect(alert.textContent).not.toContain('密码太常见');

    // What was sent: the contract's shape, no CSRF header before login, the UI language.
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/setup');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({
      organizationName: '华岳能源集团',
      timeZone: 'Asia/Shanghai',
      admin: { name: '陈斌', username: 'admin', password: 'abc12345' },
    });
    const headers = init.headers as Record<string, string>;
    expect(headers['Accept-Language']).toBe('zh-CN');
    expect(headers['x-csrf-token']).toBeUndefined();
  });

  it('hides the technical VALIDATION summary when every problem landed on its field', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        reply(400, {
          error: {
            code: 'VALIDATION',
            message: '请求有误：admin.username 格式不正确（regex）',
            details: [{ path: 'admin.username', message: '格式不正确（regex）' }],
          },
        }),
      ),
    );
    const user = userEvent.setup();
    render(
      <Providers>
        <MemoryRouter initialEntries={['/setup']}>
          <SetupPage />
        </MemoryRouter>
      </Providers>,
    );
    await fillSetup(user);
    await waitFor(() => expect(itemOf('setup_admin_username').textContent).toContain('格式不正确（regex）'));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('api.ts', () => {
  it('sends the CSRF token on writes (not on reads) and the UI language', async () => {
    const { api } = await import('../api.js');
    const fetch = vi.fn(async () => reply(200, { ok: true }));
    vi.stubGlobal('fetch', fetch);
    setCsrfToken('tok-123');
    await api.get('/units');
    await api.patch('/units/2', { name: '新名称' });
    await api.del('/units/2');
    const headers = (i: number) => (fetch.mock.calls[i] as unknown as [string, RequestInit])[1].headers as Record<string, string>;
    expect(headers(0)['x-csrf-token']).toBeUndefined();
    expect(headers(1)['x-csrf-token']).toBe('tok-123');
    expect(headers(1)['Content-Type']).toBe('application/json');
    expect(headers(2)['x-csrf-token']).toBe('tok-123');
    expect(headers(0)['Accept-Language']).toBe('zh-CN');
    setCsrfToken(null);
  });

  it('turns the error body into an ApiError with the localized message and details', async () => {
    const { api, ApiError } = await import('../api.js');
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => reply(409, { error: { code: 'UNIT_CYCLE', message: '不能把单位移到它自己或它的下级单位之下', details: [] } })),
    );
    const err = await api.patch('/units/2', { parentId: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, code: 'UNIT_CYCLE', message: '不能把单位移到它自己或它的下级单位之下' });
  });
});
