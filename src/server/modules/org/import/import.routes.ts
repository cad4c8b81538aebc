import type { FastifyPluginAsync } from 'fastify';
import type { Services } from '../../../services.js';

/** Import and export of units and people (.xlsx / .csv): filled in by the import module. */
export const importRoutes =
  (_s: Services): FastifyPluginAsync =>
  async () => {};
