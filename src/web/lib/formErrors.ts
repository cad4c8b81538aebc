import type { FormInstance } from 'antd';
import { ApiError, type ErrorDetail } from '../api.js';

type NamePath = (string | number)[];

const toNamePath = (key: string): NamePath => key.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

export interface AppliedErrors {
  /** The error, when it was an API error. */
  error: ApiError | null;
  /** Details whose path names no field of the form. */
  unmatched: ErrorDetail[];
  /** Whether the top message is worth showing (it is not when every field problem landed on its field). */
  showMessage: boolean;
}

/**
 * Puts the server's field problems (`details[].path`, e.g. `name` or `admin.password`) on the
 * form fields of the same name. `map` renames server paths for forms whose field names differ.
 */
export function applyServerErrors(form: FormInstance, err: unknown, map: Record<string, string> = {}): AppliedErrors {
  if (!(err instanceof ApiError)) return { error: null, unmatched: [], showMessage: true };
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  const unmatched: ErrorDetail[] = [];
  for (const d of err.details) {
    const key = map[d.path] ?? d.path;
    if (key && registered.has(key)) byField.set(key, [...(byField.get(key) ?? []), d.message]);
    else unmatched.push(d);
  }
  if (byField.size) form.setFields([...byField].map(([key, errors]) => ({ name: toNamePath(key), errors })));
  const allLanded = err.details.length > 0 && unmatched.length === 0;
  return { error: err, unmatched, showMessage: !(err.code === 'VALIDATION' && allLanded) };
}
