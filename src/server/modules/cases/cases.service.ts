import { caseActions, planSteps } from './service/act.js';
import { caseCreation, caseInserts } from './service/create.js';
import { CASE_TYPES, createSharedContext, type Deps } from './service/shared.js';
import { caseSweep } from './service/sweep.js';
import { caseView, caseViews } from './service/views.js';

export { CASE_TYPES, registerCaseTypes } from './service/shared.js';

/**
 * The cases service, composed from its use cases (issue 9 §10), each a file in `service/` sharing
 * one context built once from the dependencies: creating a case, acting on it, the clock sweep,
 * and reading. The plan steps and the inserts need each other (a plan creates child cases; a new
 * case applies its creation clocks as a plan), so the inserts reach the plan steps late.
 */
export function createCasesService(deps: Deps) {
  const s = createSharedContext(deps);
  const inserts = caseInserts(s, () => steps);
  const steps = planSteps(s, inserts);
  const view = caseView(s);
  const views = caseViews(s, view);
  return {
    types: CASE_TYPES,
    ...caseCreation(s, inserts, views),
    ...caseActions(s, steps, { ...view, ...views }),
    ...views,
    ...caseSweep(s, steps),
  };
}

export type CasesService = ReturnType<typeof createCasesService>;
