/**
 * npm run backup -- DIR — a consistent backup of the configured installation (SQLite under
 * LIAISON_DATA_DIR, or DATABASE_URL with pg_dump) into a new directory under DIR, while the server
 * runs: the database, the attachment store and manifest.json with every hash and the audit head.
 * Exit code 0 with the backup's path on stdout; 1 with one line on stderr when it failed.
 */
import { createBackup } from '../src/server/modules/backup/index.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';

async function main(): Promise<number> {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir || rest.length) throw new Error('usage: npm run backup -- DIR');
  const { dir: made, manifest } = await createBackup(loadConfig(), dir, systemClock);
  console.log(
    `备份完成 / backup written: ${made} (${manifest.dialect}, audit head #${manifest.audit.seq} ${manifest.audit.hash.slice(0, 16)}…, ${manifest.files.length} attachment(s))`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`备份失败 / backup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
