export { CASES_ENTITIES, CASES_ERRORS, CASES_PROBLEMS } from './cases.errors.js';
export { casesRepository } from './cases.repository.js';
export { type CasesRouteDeps, casesRoutes } from './cases.routes.js';
export { CASE_TYPES, type CasesService, createCasesService, registerCaseTypes } from './cases.service.js';
export { clockSweepJob } from './clock-job.js';
export * from './core.js';
export { buildPrintModel, type CaseDetailData, PRINT_TEXT } from './print/print.model.js';
export { chooseCjkFont, findCjkFont } from './print/print.pdf.js';
export { type PrintRouteDeps, printRoutes } from './print/print.routes.js';
