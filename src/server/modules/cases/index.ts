export { CASE_TYPES, type CasesService, createCasesService } from './cases.service.js';
export { clockSweepJob } from './clock-job.js';
