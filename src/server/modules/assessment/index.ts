export { ASSESSMENT_ENTITIES, ASSESSMENT_ERRORS, ASSESSMENT_PROBLEMS } from './assessment.errors.js';
export { type AssessmentRouteDeps, assessmentRoutes } from './assessment.routes.js';
export { ASSESSMENT_RULES, dismissalEntries, type FanOutEntry, MANUAL_RULE, ruleByCode, ruleName } from './assessment.rules.js';
export { type AssessmentService, createAssessmentService, type LedgerEvent, type Proposal } from './assessment.service.js';
export { type Direction, monthsOf, periodOf, type SubjectTotal, totalsBySubject } from './ledger.core.js';
