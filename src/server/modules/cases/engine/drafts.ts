import type { z } from 'zod';
import type { CaseRoles, CaseSnapshot, CaseTypeDef } from './definition.js';

/**
 * Saving a draft (保存草稿, issue 8): a title is enough. What is filled in must be right (a date is a
 * date, a unit is a number, no unknown field); what is missing is asked for when the draft is sent on
 * ({@link sendsDraftOn}), against the type's full field schema.
 */
export type DraftCheck = { ok: true; fields: Record<string, unknown>; complete: boolean } | { ok: false; issues: readonly z.core.$ZodIssue[] };

/** Empty text and nulls count as not filled in; text is trimmed. */
function tidy(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const value = typeof v === 'string' ? v.trim() : v;
    if (value === '' || value === null || value === undefined) continue;
    out[k] = value;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function checkDraft(schema: z.ZodType<Record<string, unknown>>, raw: Record<string, unknown>): DraftCheck {
  const fields = tidy(raw);
  const full = schema.safeParse(fields, { reportInput: true });
  if (full.success) return { ok: true, fields: full.data, complete: true };
  // The title is always needed; any other problem counts only where something was filled in.
  const issues = full.error.issues.filter((i) => i.path[0] === 'title' || valueAt(fields, i.path) !== undefined);
  if (issues.length) return { ok: false, issues };
  return { ok: true, fields, complete: false };
}

/**
 * Does this action send a draft on (提交签发, 发出, 填票人签字)? It leaves the states in which the form
 * is edited for one that is neither edited nor final: then the form must be complete. Withdrawing or
 * voiding a draft is not sending it on. Only for a user who may take the action: others get the
 * engine's own refusal.
 */
export function sendsDraftOn(def: CaseTypeDef, snap: Pick<CaseSnapshot, 'state'>, roles: CaseRoles, action: string): boolean {
  if (!def.editableIn.includes(snap.state)) return false;
  const finalStates = new Set(def.states.filter((s) => s.level === 'case' && s.final).map((s) => s.code));
  return def.transitions.some(
    (t) =>
      t.action === action &&
      t.level === 'case' &&
      t.from.includes(snap.state) &&
      t.by.some((r) => roles.onCase.has(r)) &&
      t.to !== null &&
      !def.editableIn.includes(t.to) &&
      !finalStates.has(t.to),
  );
}
