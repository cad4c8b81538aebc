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
  return [...tasks].sort((a, b) => (a.due_at ?? '\uffff').localeCompare(b.due_at ?? '\uffff'))[0];
}
