export { sheetFromRecords } from './import.parse.js';
export { type ImportRouteDeps, importRoutes } from './import.routes.js';
export { createImportService, IMPORT_ACTIONS, type ImportActions, type ImportService } from './import.service.js';
export { type ImportPlan, type ValidationResult, validateImport } from './import.validate.js';
