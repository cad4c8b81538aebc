export { createSystemService, type HealthCheck, type SystemService } from './system.service.js';
