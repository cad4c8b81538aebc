import type { CaseSnapshot, CaseTypeDef, RelRole } from './definition.js';

export interface PendingTask {
  partId: number | null;
  awaits: RelRole;
  state: string;
  dueAt: string | null;
}

/**
 * Whose move it is (待办): the case's own state when it waits on someone (draft, signature),
 * otherwise every open part's state, plus supervision on supervised parts. The soonest open clock
 * of the part orders the inbox.
 */
export function pendingTasks(def: CaseTypeDef, snap: CaseSnapshot): PendingTask[] {
  const caseState = def.states.find((s) => s.level === 'case' && s.code === snap.state);
  if (!caseState || caseState.final) return [];
  if (caseState.awaits) return [{ partId: null, awaits: caseState.awaits, state: snap.state, dueAt: null }];
  const out: PendingTask[] = [];
  for (const part of snap.parts) {
    const st = def.states.find((s) => s.level === 'part' && s.code === part.state);
    if (!st || st.final) continue;
    const clocks = snap.clocks.filter((c) => c.partId === part.id);
    const soonest = (codes: (c: string) => boolean) =>
      clocks
        .filter((c) => codes(c.code))
        .map((c) => c.dueAt)
        .sort()[0] ?? null;
    if (st.awaits) out.push({ partId: part.id, awaits: st.awaits, state: part.state, dueAt: soonest((c) => c !== 'supervise') });
    if (part.supervised) out.push({ partId: part.id, awaits: 'supervision', state: part.state, dueAt: soonest((c) => c === 'supervise') });
  }
  return out;
}

/** A task as a notification names it: `awaits:state` (the part is kept beside it). */
export const taskKey = (t: Pick<PendingTask, 'awaits' | 'state'>) => `${t.awaits}:${t.state}`;

/**
 * The task a notification asks its reader to do, if any (issue 8, first use 1): one of the case's
 * open tasks that waits on the role the reader was notified as, for the part the notification is
 * about (any part when it is about the whole case and the task is the case's own). A notification
 * that asks nothing only informs.
 */
export function askedTask(tasks: readonly PendingTask[], role: RelRole, partId: number | null): PendingTask | null {
  return tasks.find((t) => t.awaits === role && t.partId === partId) ?? null;
}

/**
 * The label of a task in the inbox (issue 8, "the inbox says what I must do"): the type's
 * `task.<state>` ("待我签收"), supervision's own ("待我督办"), else a plain "待我处理".
 */
export function taskLabelKey(def: Pick<CaseTypeDef, 'labels'>, t: { state: string; awaits: string | null }): string {
  if (t.awaits === 'supervision') return 'task.supervision';
  return def.labels[`task.${t.state}`] ? `task.${t.state}` : 'task.any';
}

/** Of one person's tasks on a case, the one to show: the soonest deadline, undated last. */
export function soonestTask<T extends { due_at: string | null }>(tasks: readonly T[]): T | undefined {
  // ISO instants order as strings; the first of equals wins, as a stable sort would keep it.
  let best: T | undefined;
  for (const t of tasks) if (!best || (t.due_at !== null && (best.due_at === null || t.due_at < best.due_at))) best = t;
  return best;
}

/** Who holds a task: a person (`p:<id>`) or a whole unit until someone takes it (`u:<id>`). */
export const holderOf = (t: { personId: number | null; unitId: number | null }) => (t.personId !== null ? `p:${t.personId}` : `u:${t.unitId}`);

/**
 * How the per-holder 待办 counts change when a case's tasks are rewritten: +1 for a holder the case
 * now asks and did not before, −1 for one it no longer asks; in holder order, so concurrent
 * transactions update the count rows in the same order.
 */
export function countChanges(before: ReadonlySet<string>, after: ReadonlySet<string>): { holder: string; delta: number }[] {
  const out: { holder: string; delta: number }[] = [];
  for (const h of after) if (!before.has(h)) out.push({ holder: h, delta: 1 });
  for (const h of before) if (!after.has(h)) out.push({ holder: h, delta: -1 });
  return out.sort((a, b) => (a.holder < b.holder ? -1 : a.holder > b.holder ? 1 : 0));
}

/** Every pair of a case's holders, smaller first: what a sum of counts would count twice. */
export function holderPairs(holders: ReadonlySet<string>): [string, string][] {
  const list = [...holders].sort();
  const out: [string, string][] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) out.push([list[i] as string, list[j] as string]);
  return out;
}

/**
 * A person's 待办 total from the counts of the holders they answer for (themselves and their units)
 * and the pairs among those holders: a case asked of k of them is counted k times by the sum, once here.
 */
export function inboxTotal(counts: readonly { open_cases: number }[], pairs: readonly { case_id: number; holder_a: string; holder_b: string }[]): number {
  const held = new Map<number, Set<string>>();
  for (const p of pairs) {
    const s = held.get(p.case_id) ?? new Set<string>();
    s.add(p.holder_a).add(p.holder_b);
    held.set(p.case_id, s);
  }
  let total = counts.reduce((n, c) => n + c.open_cases, 0);
  for (const s of held.values()) total -= s.size - 1;
  return total;
}
