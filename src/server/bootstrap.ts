import path from 'node:path';
import { ensureReferenceData } from './modules/setup/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { type Database, migrate, openDatabase } from './platform/db/database.js';
import { createServices } from './services.js';

/** Opens the configured database, brings its schema and reference data up to date, wires services. */
export async function openLiaison(config: Config, opts: { clock?: Clock; pgSchema?: string; sqliteFile?: string } = {}) {
  const db: Database = await openDatabase({
    url: config.databaseUrl,
    sqliteFile: opts.sqliteFile ?? path.join(config.dataDir, 'liaison.db'),
    pgSchema: opts.pgSchema ?? config.pgSchema,
  });
  const clock = opts.clock ?? systemClock;
  await migrate(db);
  await ensureReferenceData(db, clock.now().toISOString());
  return createServices(db, clock, { filesDir: path.join(config.dataDir, 'files'), maxAttachmentBytes: config.uploadLimit });
}
