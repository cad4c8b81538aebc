export { type SystemRouteDeps, systemRoutes } from './system.routes.js';
export { createSystemService, type HealthCheck, type SystemService } from './system.service.js';
