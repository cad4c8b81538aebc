/**
 * npm run restore -- DIR — fills an EMPTY data directory (LIAISON_DATA_DIR; on PostgreSQL also an
 * empty schema of DATABASE_URL) from the backup in DIR, and verifies it: the database and every
 * attachment against the manifest's hashes, the audit chain up to exactly the manifest's head, and
 * every attachment the database names present. Refuses a non-empty target; removes a restore that
 * does not verify. Exit code 0 when restored and verified, 1 otherwise (one line on stderr).
 */
import { restoreBackup } from '../src/server/modules/backup/index.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';

async function main(): Promise<number> {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir || rest.length) throw new Error('usage: npm run restore -- DIR');
  const config = loadConfig();
  const m = await restoreBackup(config, dir, systemClock);
  console.log(
    `恢复完成并已校验 / restored and verified into ${config.databaseUrl ? `${m.pgSchema} and ` : ''}${config.dataDir}: ` +
      `backup of ${m.createdAt}, audit chain intact to #${m.audit.seq}, ${m.files.length} attachment(s) checked`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`恢复失败 / restore failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
