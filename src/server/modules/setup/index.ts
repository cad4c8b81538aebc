export { DEFAULT_UNIT_TYPES, ensureReferenceData } from './reference-data.js';
export { SETUP_ERRORS } from './setup.errors.js';
export { type SetupRouteDeps, setupRoutes } from './setup.routes.js';
export { createSetupService, type SetupService } from './setup.service.js';
