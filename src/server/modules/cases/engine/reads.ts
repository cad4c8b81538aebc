import type { CaseCountQuery, CaseReads, CaseSummary, ReadsDecl } from './definition.js';

/**
 * Guards that ask about other cases (issue 9 §4, ADR 0013): a guard stays synchronous and pure. The
 * transition declares what it will ask ({@link ReadsDecl}, from the case and the time); the service
 * answers those questions from the database in the action's transaction before the plan; the guard
 * reads the answers through {@link CaseReads}. A question nobody declared is a bug in the type: it
 * throws rather than answer "none".
 */

/** One key per count question: the same question, declared and asked, finds the same answer. */
export const countKey = (q: CaseCountQuery) => JSON.stringify([q.type, q.drafterPersonId ?? null, q.initiatorUnitId ?? null, q.from ?? null, q.to ?? null]);

/** Every question the declarations ask, without repeats. */
export function questionsOf(decls: readonly ReadsDecl[]): { childrenOf: number[]; countCases: CaseCountQuery[] } {
  const children = new Set<number>();
  const counts = new Map<string, CaseCountQuery>();
  for (const d of decls) {
    for (const id of d.childrenOf ?? []) children.add(id);
    for (const q of d.countCases ?? []) counts.set(countKey(q), q);
  }
  return { childrenOf: [...children], countCases: [...counts.values()] };
}

/** The answers as the interface a guard reads. */
export function answeredReads(answers: { children: ReadonlyMap<number, readonly CaseSummary[]>; counts: ReadonlyMap<string, number> }): CaseReads {
  return {
    childrenOf(caseId) {
      const found = answers.children.get(caseId);
      if (!found) throw new Error(`guard read the children of case ${caseId} without declaring it (TransitionDef.reads)`);
      return found;
    },
    countCases(q) {
      const n = answers.counts.get(countKey(q));
      if (n === undefined) throw new Error(`guard counted cases ${countKey(q)} without declaring it (TransitionDef.reads)`);
      return n;
    },
  };
}
