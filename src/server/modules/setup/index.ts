export { createSetupService, type SetupService } from './setup.service.js';
export { ensureReferenceData, DEFAULT_UNIT_TYPES } from './reference-data.js';
