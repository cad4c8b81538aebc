import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: children run from here so that `--import tsx` resolves. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A TypeScript entry point in its own OS process (`node --import tsx <script>`), output captured. */
export interface Child {
  proc: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stdout(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string>;
  /** Sends the signal unless the process has already exited. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves when stdout has a line matching `re` (rejects on exit or timeout). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function spawnTsx(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let all = '';
  const listeners = new Set<() => void>();
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    all += d;
    for (const l of listeners) l();
  });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    all += d;
  });
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    proc.on('exit', (code, signal) => {
      done = true;
      for (const l of listeners) l();
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    proc,
    pid: proc.pid as number,
    output: () => all,
    stdout: () => out,
    exited,
    kill(signal = 'SIGTERM') {
      if (!done && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) return finish(() => resolve(m));
          if (done) return finish(() => reject(new Error(`${script} exited before ${re}:\n${all}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`${script}: no ${re} within ${timeoutMs} ms:\n${all}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          f();
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Kills a child (SIGKILL after a grace period) and waits for it to be gone. */
export async function stopChild(c: Child | undefined, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (!c) return;
  c.kill(signal);
  const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
  await c.exited;
  clearTimeout(timer);
}

/** The real server (`src/server/main.ts`) on a free port of 127.0.0.1. */
export interface ServerProcess extends Child {
  url: string;
}

export async function startServer(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawnTsx('src/server/main.ts', [], {
    HOST: '127.0.0.1',
    // Port 0: the OS picks a free one, and Fastify logs the address it got.
    PORT: '0',
    LIAISON_SERVE_WEB: '0',
    LIAISON_LOGIN_RATE_LIMIT: '10000',
    LOG_LEVEL: 'info',
    ...env,
  });
  try {
    const m = await child.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, timeoutMs);
    return Object.assign(child, { url: m[1] as string });
  } catch (e) {
    await stopChild(child, 'SIGKILL');
    throw e;
  }
}

export interface HttpResponse {
  status: number;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are checked field by field
  json(): any;
}

/** A browser over real HTTP: keeps the session cookie and sends the CSRF header. */
export class HttpClient {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(public base: string) {}

  async request(method: string, url: string, body?: unknown): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const set = res.headers.getSetCookie().find((c) => c.startsWith('liaison_session='));
    if (set) {
      const value = set.slice('liaison_session='.length).split(';')[0];
      this.cookie = value ? `liaison_session=${value}` : null;
    }
    const out: HttpResponse = { status: res.status, body: text, json: () => JSON.parse(text) };
    if ((url === '/api/v1/auth/login' || url === '/api/v1/setup') && res.status === 200) this.csrf = out.json().csrfToken;
    return out;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body: unknown = {}) => this.request('POST', url, body);

  /** POST that must answer `expected`; returns the JSON body. */
  async must(url: string, body: unknown, expected = 200) {
    const r = await this.post(url, body);
    if (r.status !== expected) throw new Error(`POST ${url}: ${r.status} ${r.body}`);
    return r.json();
  }
}

/** Logs in over HTTP; returns the client. */
export async function httpLogin(base: string, username: string, password: string): Promise<HttpClient> {
  const c = new HttpClient(base);
  const r = await c.post('/api/v1/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.body}`);
  return c;
}

/** Creates a person with a role and an account over HTTP, does the first-login password change, logs in. */
export async function httpUser(
  admin: HttpClient,
  opts: { unitId: number; role: string; username: string; name: string },
): Promise<{ personId: number; client: HttpClient }> {
  const p = await admin.must('/api/v1/people', { name: opts.name, unitId: opts.unitId, roleCode: opts.role, employeeNo: null });
  const temp = 'Temp12345x';
  await admin.must('/api/v1/accounts', { personId: p.id, username: opts.username, password: temp });
  const first = await httpLogin(admin.base, opts.username, temp);
  await first.must('/api/v1/auth/password', { currentPassword: temp, newPassword: 'Real12345x' });
  return { personId: p.id, client: await httpLogin(admin.base, opts.username, 'Real12345x') };
}
