export { CASE_TYPES, type CasesService, createCasesService } from './cases.service.js';
export { startSweeper } from './sweeper.js';
