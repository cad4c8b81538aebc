export {
  createImportService,
  IMPORT_ACTIONS,
  type ImportActions,
  type ImportPlan,
  type ImportRouteDeps,
  type ImportService,
  importRoutes,
  sheetFromRecords,
  type ValidationResult,
  validateImport,
} from './import/index.js';
export { ORG_ENTITIES, ORG_ERRORS, ORG_PROBLEMS } from './org.errors.js';
export { type OrgRouteDeps, orgRoutes } from './org.routes.js';
export { createOrgService, type OrgService } from './org.service.js';
export { pathIds, reportingChain, wouldCycle } from './reporting-chain.js';
