/**
 * The assessment's lifecycle (seed article 8, 考核程序), as a table: the initiator proposes (the
 * engine drafts the proposal), confirms it to the signing leader and the assessed unit; the
 * assessed unit may appeal within the appeal window; the leader approves or rules; the final
 * event is what HR applies.
 */
export type AssessmentParty = 'proposer' | 'judge' | 'subject';

export interface AssessmentTransition {
  action: 'confirm' | 'drop' | 'appeal' | 'approve' | 'rule';
  from: readonly string[];
  to: string;
  by: AssessmentParty;
}

export const ASSESSMENT_TRANSITIONS: readonly AssessmentTransition[] = [
  { action: 'confirm', from: ['proposed'], to: 'confirmed', by: 'proposer' },
  { action: 'drop', from: ['proposed'], to: 'dropped', by: 'proposer' },
  { action: 'appeal', from: ['confirmed'], to: 'appealed', by: 'subject' },
  { action: 'approve', from: ['confirmed'], to: 'final', by: 'judge' },
  // 'rule' ends in 'final' or 'withdrawn' depending on the ruling.
  { action: 'rule', from: ['appealed'], to: 'final', by: 'judge' },
];

export const ASSESSMENT_STATES = ['proposed', 'confirmed', 'appealed', 'final', 'withdrawn', 'dropped'] as const;

export function allowedAssessmentActions(state: string, parties: ReadonlySet<AssessmentParty>): string[] {
  return ASSESSMENT_TRANSITIONS.filter((t) => t.from.includes(state) && parties.has(t.by)).map((t) => t.action);
}

/**
 * What a notification about an assessment asks (issue 8, first use 1): to act while it is in a state
 * someone acts in. It is read for everyone it went to once the assessment has moved on; null: the
 * state ends it, so a notification sent in it only informs.
 */
export function assessmentTaskKey(state: string): string | null {
  return ASSESSMENT_TRANSITIONS.some((t) => t.from.includes(state)) ? `assessment:${state}` : null;
}
