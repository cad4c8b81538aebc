export { ASSESSMENT_RULES, ruleByCode, ruleName } from './assessment.rules.js';
export { type AssessmentService, createAssessmentService, type Proposal } from './assessment.service.js';
