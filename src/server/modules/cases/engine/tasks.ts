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
