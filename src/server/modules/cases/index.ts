export { CASE_TYPES, type CasesService, createCasesService, registerCaseTypes } from './cases.service.js';
export { clockSweepJob } from './clock-job.js';
