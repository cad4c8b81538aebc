/**
 * npm run audit:verify — walks the audit hash chain of the configured database (SQLite under
 * LIAISON_DATA_DIR, or DATABASE_URL) and names the first broken or edited event.
 * Exit code 0 when the chain is intact, 1 when it is broken, 2 when it could not be checked.
 */
import path from 'node:path';
import { createAuditService } from '../src/server/modules/audit/index.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';

const REASONS = {
  sequence_gap: '序号不连续（有事件被删除或插入）/ sequence gap: an event was removed or inserted',
  prev_hash_mismatch: '前序哈希不符（链被重排或截断）/ previous-hash mismatch: the chain was reordered or cut',
  hash_mismatch: '内容哈希不符（事件内容被修改）/ hash mismatch: the event was edited',
} as const;

async function main(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, pgSchema: config.pgSchema, sqliteFile: path.join(config.dataDir, 'liaison.db') });
  try {
    const result = await createAuditService(db, systemClock).verify();
    if (result.ok) {
      console.log(`审计链完整 / audit chain intact: ${result.checked} events checked (${db.describe})`);
      return 0;
    }
    const b = result.firstBreak as NonNullable<typeof result.firstBreak>;
    console.error(`审计链断裂 / audit chain BROKEN at event #${b.seq}: ${REASONS[b.reason]}`);
    console.error(`${result.checked} events before it are intact.`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`无法校验 / could not verify: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
