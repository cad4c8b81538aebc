/**
 * Test helpers for component tests (happy-dom): a fetch mock that answers by method and path, and
 * a render with the app's providers, a router and a logged-in user. Not part of the bundle.
 */
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';
import { Providers } from '../App.js';
import { createQueryClient, qk } from '../lib/queries.js';
import type { MeView } from '../types.js';
import { CASE_TYPE_VIEWS } from './caseTypes.js';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Answer = Response | unknown;
type Handler = (call: Call, params: Record<string, string>) => Answer | Promise<Answer>;

export function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** `GET /cases/:id` matches `GET /api/v1/cases/7` with {id: '7'}. */
function match(pattern: string, method: string, path: string): Record<string, string> | null {
  const [m, p] = pattern.split(' ') as [string, string];
  if (m !== method) return null;
  const want = p.split('/');
  const got = path.replace(/^\/api\/v1/, '').split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(got[i]!);
    else if (w !== got[i]) return null;
  }
  return params;
}

/**
 * Stubs the global fetch; routes are tried in order, an unknown one answers 404. GET /case-types
 * answers the server's own description of its types unless a test says otherwise.
 */
export function mockApi(given: Record<string, Handler | Answer>) {
  const routes: Record<string, Handler | Answer> = { ...given, 'GET /case-types': given['GET /case-types'] ?? CASE_TYPE_VIEWS };
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    let body: unknown = null;
    if (typeof init?.body === 'string') body = JSON.parse(init.body);
    const call: Call = { method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    for (const [pattern, handler] of Object.entries(routes)) {
      const params = match(pattern, method, url.pathname);
      if (!params) continue;
      const answer = typeof handler === 'function' ? await (handler as Handler)(call, params) : handler;
      // A Response given once in the routes may be asked for again: hand out copies.
      return answer instanceof Response ? answer.clone() : reply(200, answer);
    }
    return reply(404, { error: { code: 'NOT_FOUND', message: `no mock for ${method} ${url.pathname}`, details: [] } });
  });
  vi.stubGlobal('fetch', fetch);
  const find = (method: string, path: string) => calls.filter((c) => c.method === method && c.path === `/api/v1${path}`);
  return { calls, fetch, find };
}

export const ME: MeView = {
  accountId: 1,
  username: 'lihua',
  personId: 5,
  name: '李华',
  mustChangePassword: false,
  csrfToken: 'tok',
  organization: { name: '华岳能源集团', timeZone: 'Asia/Shanghai' },
  grants: [
    { role: 'unit_head', roleName: '单位负责人', unitId: 1, unitName: '安全环保部', permissions: ['org.read', 'people.read'] },
    { role: 'staff', roleName: '普通职工', unitId: 1, unitName: '安全环保部', permissions: ['org.read'] },
  ],
  permissions: ['org.read', 'people.read'],
};

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

/** Renders `ui` at `path` (matched by `route`) with the providers and a logged-in user. */
export function renderAt(ui: ReactNode, { path, route, me = ME }: { path: string; route: string; me?: MeView }) {
  const client = createQueryClient();
  client.setQueryData(qk.me, me);
  const result = render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={route} element={ui} />
          <Route path="*" element={null} />
        </Routes>
        <LocationProbe />
      </MemoryRouter>
    </Providers>,
  );
  return { ...result, client };
}
