/**
 * The one way the UI talks to the server (/api/v1).
 *
 * - Session: the httpOnly cookie `liaison_session` travels by itself (same origin).
 * - CSRF: every non-GET request carries `x-csrf-token`, taken from the last Me object seen
 *   (GET /auth/me, login or setup) — see {@link setCsrfToken}.
 * - Language: `Accept-Language` follows the UI language; switching also sets the `liaison_lang` cookie.
 * - Errors: the server always answers `{"error":{"code","message","details":[{"path","message"}]}}`
 *   with texts already localized; they become an {@link ApiError}.
 */

export const API_BASE = '/api/v1';
export const CSRF_HEADER = 'x-csrf-token';
export const LANG_COOKIE = 'liaison_lang';

export type UiLang = 'zh-CN' | 'en';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let lang: UiLang = 'zh-CN';
type AuthListener = (code: string) => void;
let authListener: AuthListener | null = null;

export function setCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? null;
}
export function getCsrfToken() {
  return csrfToken;
}
export function setApiLanguage(l: UiLang) {
  lang = l;
}
export function getApiLanguage(): UiLang {
  return lang;
}
/** Writes the cookie the server reads first when choosing the language of its answers. */
export function setLanguageCookie(l: UiLang) {
  // biome-ignore lint/suspicious/noDocumentCookie: a plain cookie is what the server reads; the Cookie Store API is not in every browser yet.
  document.cookie = `${LANG_COOKIE}=${l}; path=/; max-age=31536000; samesite=lax`;
}
export function readLanguageCookie(): UiLang | null {
  if (typeof document === 'undefined') return null;
  const m = /(?:^|;\s*)liaison_lang=([^;]+)/.exec(document.cookie);
  return m?.[1] === 'en' || m?.[1] === 'zh-CN' ? m[1] : null;
}
/** Called when the server says the session is gone (401) or a password change is pending (403). */
export function onAuthProblem(listener: AuthListener | null) {
  authListener = listener;
}

const AUTH_LOST = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'ACCOUNT_INACTIVE', 'PASSWORD_CHANGE_REQUIRED']);

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

function headersFor(method: string, extra?: Record<string, string>): Record<string, string> {
  const h: Record<string, string> = { 'Accept-Language': lang, Accept: 'application/json', ...extra };
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) h[CSRF_HEADER] = csrfToken;
  return h;
}

/** Builds an ApiError from any answer body (the server's error shape, or something unexpected). */
export function errorFrom(status: number, body: unknown, fallback?: string): ApiError {
  const e = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    const details = Array.isArray(e.details) ? e.details.filter((d): d is ErrorDetail => typeof d?.path === 'string' && typeof d?.message === 'string') : [];
    return new ApiError(status, e.code, e.message, details);
  }
  const msg =
    fallback ??
    (lang === 'en'
      ? status === 0
        ? 'Cannot reach the server; check the network'
        : `Server error (HTTP ${status})`
      : status === 0
        ? '无法连接服务器，请检查网络'
        : `服务器错误（HTTP ${status}）`);
  return new ApiError(status, status === 0 ? 'NETWORK' : 'HTTP', msg);
}

function notify(err: ApiError, path: string) {
  // Logging in with a wrong password is an answer, not a lost session.
  if (path.startsWith('/auth/login') || path.startsWith('/setup')) return;
  if ((err.status === 401 || err.status === 403) && AUTH_LOST.has(err.code)) authListener?.(err.code);
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const url = withQuery(API_BASE + path, query);
  const init: RequestInit = { method, credentials: 'same-origin', headers: headersFor(method) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw errorFrom(0, null);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = errorFrom(res.status, data);
    notify(err, path);
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, body ?? {}, query),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body ?? {}),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** `attachment; filename="x.xlsx"; filename*=UTF-8''%E4%BA%BA.xlsx` → the UTF-8 name when given. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** GETs a file with the session and saves it under the server's file name. */
export async function download(path: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(API_BASE + path, { credentials: 'same-origin', headers: headersFor('GET', { Accept: '*/*' }) });
  } catch {
    throw errorFrom(0, null);
  }
  if (!res.ok) {
    const err = errorFrom(res.status, await res.json().catch(() => null));
    notify(err, path);
    throw err;
  }
  const name = fileNameFrom(res.headers.get('content-disposition'), fallbackName);
  saveFile(await res.blob(), name);
  return name;
}

/** Hands a file to the browser's download under `name`. */
export function saveFile(blob: Blob, name: string) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A file the server sent inside JSON as base64 (e.g. the one-time passwords of a bulk account opening). */
export function blobFromBase64(base64: string, type: string): Blob {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

export interface UploadHandle<T> {
  promise: Promise<T>;
  abort(): void;
}

/**
 * Multipart upload through XMLHttpRequest, which (unlike fetch) reports upload progress.
 * `onProgress(percent)` runs while the bytes go out; `onUploaded()` once they are all sent and the
 * server is working on them.
 */
export function upload<T>(
  path: string,
  file: File,
  opts: {
    field?: string;
    query?: Query;
    /** Other form fields, sent before the file (a streaming server reads them first). */
    fields?: Record<string, string>;
    onProgress?: (percent: number) => void;
    onUploaded?: () => void;
  } = {},
): UploadHandle<T> {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', withQuery(API_BASE + path, opts.query));
    xhr.withCredentials = true;
    for (const [k, v] of Object.entries(headersFor('POST'))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    };
    xhr.upload.onload = () => {
      opts.onProgress?.(100);
      opts.onUploaded?.();
    };
    xhr.onerror = () => reject(errorFrom(0, null));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', lang === 'en' ? 'Upload cancelled' : '已取消上传'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else {
        const err = errorFrom(xhr.status, data);
        notify(err, path);
        reject(err);
      }
    };
    const form = new FormData();
    for (const [k, v] of Object.entries(opts.fields ?? {})) form.append(k, v);
    form.append(opts.field ?? 'file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
