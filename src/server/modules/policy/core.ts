// Policy defaults with their sources, and their pure resolution per unit: importable without the
// policy service.
export * from './policy.defaults.js';
export * from './policy.resolve.js';
