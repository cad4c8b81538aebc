import path from 'node:path';
import { ANCHOR_FILE, readAnchor } from './modules/audit/index.js';
import { ensureReferenceData } from './modules/setup/index.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { DataDirError, prepareDataDir } from './platform/db/data-dir.js';
import { type Database, isLiaisonDatabase, migrate, openDatabase } from './platform/db/database.js';
import { createServices } from './services.js';

/**
 * Opens the configured database, brings its schema and reference data up to date, wires services.
 * A data directory that is not writable, or a database that is damaged, empty or not Liaison's,
 * stops here with a DataDirError (one line naming the path) instead of looking like a fresh install.
 */
export async function openLiaison(config: Config, opts: { clock?: Clock; pgSchema?: string; sqliteFile?: string } = {}) {
  const sqliteFile = opts.sqliteFile ?? path.join(config.dataDir, 'liaison.db');
  const onFile = !config.databaseUrl && sqliteFile !== ':memory:';
  const { existing } = prepareDataDir(config.dataDir, onFile ? sqliteFile : undefined);
  let db: Database;
  try {
    db = await openDatabase({ url: config.databaseUrl, sqliteFile, pgSchema: opts.pgSchema ?? config.pgSchema });
    if (existing && !(await isLiaisonDatabase(db))) {
      await db.close();
      throw new DataDirError(`不是 Liaison 数据库（没有 Liaison 的表）/ not a Liaison database (no Liaison tables in it): ${sqliteFile}`);
    }
  } catch (err) {
    if (err instanceof DataDirError || !onFile) throw err;
    throw new DataDirError(`数据库已损坏，无法打开 / the database is damaged and cannot be opened: ${sqliteFile} (${(err as Error).message})`);
  }
  const clock = opts.clock ?? systemClock;
  await migrate(db);
  await ensureReferenceData(db, clock.now().toISOString());
  const services = createServices(db, clock, {
    filesDir: path.join(config.dataDir, 'files'),
    maxAttachmentBytes: config.uploadLimit,
    sweepIntervalMs: config.sweepIntervalMs,
  });
  // An empty chain where the data directory's anchor remembers events: the database was replaced or emptied.
  const anchorFile = path.join(config.dataDir, ANCHOR_FILE);
  const anchor = await readAnchor(anchorFile).catch(() => undefined);
  if (anchor && anchor.seq > 0 && (await services.audit.head())?.seq === 0) {
    await db.close();
    throw new DataDirError(
      `数据库没有任何审计记录，但 ${ANCHOR_FILE} 记载了 ${anchor.seq} 条：数据库被替换或清空；请从备份恢复 / the database holds no audit events but ${anchorFile} records ${anchor.seq}: it was replaced or emptied (${db.describe})`,
    );
  }
  return services;
}
