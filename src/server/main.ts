import { buildApp } from './app.js';
import { openLiaison } from './bootstrap.js';
import { startMaintenance } from './modules/backup/index.js';
import { startSweeper } from './modules/schedule/index.js';
import { loadConfig } from './platform/config.js';
import { DataDirError } from './platform/db/data-dir.js';

const config = loadConfig();
const services = await openLiaison(config).catch((err: unknown) => {
  // A damaged or unwritable data directory: one clear line naming the path, no stack, no setup page.
  if (!(err instanceof DataDirError)) throw err;
  console.error(`Liaison 无法启动 / cannot start: ${err.message}`);
  process.exit(1);
});
const { app } = await buildApp(config, services);

const sweeper = config.sweepIntervalMs > 0 ? startSweeper(services.jobs, config.sweepIntervalMs, app.log) : null;
const maintenance = config.maintenanceIntervalMs > 0 ? startMaintenance(services, config, config.maintenanceIntervalMs, app.log) : null;

const shutdown = async (signal: string) => {
  app.log.info({ signal }, 'shutting down');
  await sweeper?.stop();
  await maintenance?.stop();
  await app.close();
  await services.db.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
const setup = await services.setup.status();
app.log.info(`Liaison on http://localhost:${config.port} — database ${services.db.describe}${setup.needed ? ' — first visit opens the setup page' : ''}`);
