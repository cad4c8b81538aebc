/**
 * npm run audit:verify [-- --anchor FILE …] — walks the audit hash chain of the configured database
 * (SQLite under LIAISON_DATA_DIR, or DATABASE_URL) and names the first broken or edited event; then
 * checks the chain's end against its head row, the data directory's audit-anchor.json and every
 * `--anchor` file (another anchor file or a backup's manifest.json), so that a cut tail shows, and
 * checks that the triggers making the audit tables append-only are in place (ADR 0008).
 * Exit code 0 when all holds, 1 when something is wrong, 2 when it could not be checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ANCHOR_FILE, type AuditProblem, createAuditService, type ExternalAnchor, readAnchor } from '../src/server/modules/audit/index.js';
import { systemClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { openDatabase } from '../src/server/platform/db/database.js';

const REASONS = {
  sequence_gap: '序号不连续（有事件被删除或插入）/ sequence gap: an event was removed or inserted',
  prev_hash_mismatch: '前序哈希不符（链被重排或截断）/ previous-hash mismatch: the chain was reordered or cut',
  hash_mismatch: '内容哈希不符（事件内容被修改）/ hash mismatch: the event was edited',
} as const;

function describe(p: AuditProblem): string {
  switch (p.code) {
    case 'head_missing':
      return '链头记录被删除 / the chain head row (audit_head) was deleted';
    case 'truncated':
      return `审计链被截断 / audit chain TRUNCATED: ${p.source} records ${p.expectedSeq} events, the chain ends at #${p.lastSeq}`;
    case 'head_mismatch':
      return `链头不符（链被改写）/ head mismatch at event #${p.seq}: the chain does not match ${p.source} (rewritten or appended behind the application's back)`;
    case 'protection_missing':
      return `保护触发器缺失或被修改 / protection missing: trigger ${p.name} was dropped, disabled or changed`;
  }
}

function anchorArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--anchor' && argv[i + 1]) out.push(path.resolve(argv[++i] as string));
    else throw new Error(`unknown argument ${argv[i]} (usage: npm run audit:verify -- [--anchor FILE]…)`);
  }
  return out;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const files = [path.join(config.dataDir, ANCHOR_FILE), ...anchorArgs(process.argv.slice(2))];
  const anchors: ExternalAnchor[] = [];
  for (const f of files) {
    const head = await readAnchor(f);
    if (head) anchors.push({ source: f, head });
    else if (f !== files[0]) throw new Error(`${f}: no such file`);
  }
  const sqliteFile = path.join(config.dataDir, 'liaison.db');
  if (!config.databaseUrl && !fs.existsSync(sqliteFile)) throw new Error(`no database at ${sqliteFile}`);
  const db = await openDatabase({ url: config.databaseUrl, pgSchema: config.pgSchema, sqliteFile });
  try {
    const result = await createAuditService(db, systemClock).verify(anchors);
    if (result.ok) {
      console.log(
        `审计链完整 / audit chain intact: ${result.checked} events checked, head #${result.tip.seq} ${result.tip.hash.slice(0, 16)}…, ` +
          `${anchors.length} anchor(s), protections in place (${db.describe})`,
      );
      return 0;
    }
    if (result.firstBreak) {
      const b = result.firstBreak;
      console.error(`审计链断裂 / audit chain BROKEN at event #${b.seq}: ${REASONS[b.reason]}`);
      console.error(`${result.checked} events before it are intact.`);
    }
    for (const p of result.problems) console.error(describe(p));
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
