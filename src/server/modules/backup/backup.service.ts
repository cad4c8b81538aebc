import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import { type Database, openDatabase } from '../../platform/db/database.js';
import { snapshotSqlite } from '../../platform/db/sqlite-snapshot.js';
import { isSha256 } from '../../platform/files/index.js';
import { type AnchorRecord, type ChainHead, createAuditService, parseAnchor } from '../audit/index.js';
import { backupName } from './backup.core.js';
import { backupRepository, pgCurrentSchema, pgDropSchema, withPgSnapshot } from './backup.repository.js';

const run = promisify(execFile);

export const MANIFEST = 'manifest.json';
const FORMAT = 'liaison-backup/1';

/** What a backup holds, with a hash for every byte of it and the audit chain's head (ADR 0008). */
export interface Manifest {
  format: typeof FORMAT;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  /** The database it was taken from (never a password). */
  source: string;
  /** PostgreSQL: the schema dumped; a restore recreates it under the same name. */
  pgSchema?: string;
  database: { file: string; sha256: string; size: number };
  audit: AnchorRecord;
  /** The attachment store, as paths under `files/` named by their content's SHA-256. */
  files: { path: string; sha256: string; size: number }[];
}

/** A backup or restore that cannot go on, with one line saying why. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

async function fsyncPath(p: string): Promise<void> {
  const h = await fs.open(p, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Copies `from` to `to` (created exclusively), fsyncs it, and returns the hash of what was read. */
async function copyVerified(from: string, to: string): Promise<{ sha256: string; size: number }> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.copyFile(from, to, fs.constants.COPYFILE_EXCL);
  await fsyncPath(to);
  return hashFile(to);
}

/** Every stored attachment: files/ab/cd/<sha256>; temporary files of interrupted uploads are left out. */
async function storeFiles(filesDir: string): Promise<string[]> {
  const out: string[] = [];
  let level1: string[];
  try {
    level1 = await fs.readdir(filesDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  for (const a of level1.sort()) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of (await fs.readdir(path.join(filesDir, a))).sort()) {
      if (!/^[0-9a-f]{2}$/.test(b)) continue;
      for (const f of (await fs.readdir(path.join(filesDir, a, b))).sort()) if (isSha256(f) && f.startsWith(a + b)) out.push(path.join(a, b, f));
    }
  }
  return out;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/** Walks the copy's chain (and its protections) and returns its head; the copy must verify. */
async function verifiedHead(db: Database, anchor?: ChainHead): Promise<ChainHead> {
  const audit = createAuditService(db, { now: () => new Date() });
  const v = await audit.verify(anchor ? [{ source: MANIFEST, head: anchor }] : []);
  if (!v.ok) {
    const what = v.firstBreak ? `event #${v.firstBreak.seq}: ${v.firstBreak.reason}` : v.problems.map((p) => p.code).join(', ');
    throw new BackupError(`审计链校验失败 / the audit chain does not verify (${what}) in ${db.describe}`);
  }
  return v.tip;
}

/**
 * Takes a backup of the installation into a new directory under `parent`, while the server runs:
 * the database (SQLite: `VACUUM INTO` in one read transaction; PostgreSQL: `pg_dump` of an exported
 * snapshot), then the attachment store (attachments are written before the rows naming them, so every
 * file the copy refers to is already there), then `manifest.json`. The directory gets its final name
 * only once complete. Returns where it is and the manifest.
 */
export async function createBackup(config: Config, parent: string, clock: Clock, sqliteFile = path.join(config.dataDir, 'liaison.db')) {
  const createdAt = clock.now();
  const name = backupName(createdAt);
  const final = path.join(path.resolve(parent), name);
  const dir = `${final}.partial`;
  await fs.mkdir(dir, { recursive: true });
  try {
    let manifest: Omit<Manifest, 'files'>;
    if (config.databaseUrl) {
      const schema = await pgCurrentSchema(config.databaseUrl, config.pgSchema);
      const dump = path.join(dir, 'liaison.pgdump');
      const head = await withPgSnapshot(config.databaseUrl, schema, async (snapshot, head) => {
        await run('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--schema=${schema}`, '--no-owner', `--file=${dump}`, config.databaseUrl as string]);
        return head;
      });
      // The live chain must hold the dumped head intact (the dump itself is verified on restore).
      const live = await openDatabase({ url: config.databaseUrl, pgSchema: schema });
      try {
        await verifiedHead(live, head);
      } finally {
        await live.close();
      }
      await fsyncPath(dump);
      const u = new URL(config.databaseUrl);
      manifest = {
        format: FORMAT,
        createdAt: createdAt.toISOString(),
        dialect: 'postgres',
        source: `postgres://${u.host}${u.pathname}#${schema}`,
        pgSchema: schema,
        database: { file: 'liaison.pgdump', ...(await hashFile(dump)) },
        audit: { ...head, at: createdAt.toISOString() },
      };
    } else {
      const copy = path.join(dir, 'liaison.db');
      await snapshotSqlite(sqliteFile, copy);
      const db = await openDatabase({ sqliteFile: copy });
      let head: ChainHead;
      try {
        head = await verifiedHead(db);
      } finally {
        await db.close();
      }
      await fsyncPath(copy);
      manifest = {
        format: FORMAT,
        createdAt: createdAt.toISOString(),
        dialect: 'sqlite',
        source: `sqlite:${sqliteFile}`,
        database: { file: 'liaison.db', ...(await hashFile(copy)) },
        audit: { ...head, at: createdAt.toISOString() },
      };
    }
    const filesDir = path.join(config.dataDir, 'files');
    const files: Manifest['files'] = [];
    for (const rel of await storeFiles(filesDir)) {
      const got = await copyVerified(path.join(filesDir, rel), path.join(dir, 'files', rel));
      // A damaged attachment is not copied as if it were good.
      if (got.sha256 !== path.basename(rel)) throw new BackupError(`附件已损坏 / a stored attachment is damaged: ${path.join(filesDir, rel)}`);
      files.push({ path: rel, ...got });
    }
    const full: Manifest = { ...manifest, files };
    await fs.writeFile(path.join(dir, MANIFEST), `${JSON.stringify(full, null, 2)}\n`, { flag: 'wx' });
    await fsyncPath(path.join(dir, MANIFEST));
    await fs.rename(dir, final);
    await fsyncPath(path.dirname(final));
    return { dir: final, manifest: full };
  } catch (err) {
    await fs.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8'));
  } catch (err) {
    throw new BackupError(`不是 Liaison 备份（缺少 ${MANIFEST}）/ not a Liaison backup: ${path.join(dir, MANIFEST)} (${(err as Error).message})`);
  }
  const m = json as Manifest;
  const audit = parseAnchor(json);
  if (m?.format !== FORMAT || !audit || !Array.isArray(m.files) || !m.database?.file)
    throw new BackupError(`备份清单格式不符 / not a ${FORMAT} manifest: ${path.join(dir, MANIFEST)}`);
  return { ...m, audit };
}

/**
 * Fills an EMPTY data directory (and on PostgreSQL an empty schema) from a backup, and verifies it:
 * every byte against the manifest's hashes, the audit chain from its first event to exactly the
 * manifest's head, and every attachment the database names present. A restore that does not verify
 * is removed again, so that no server starts on half a restore.
 */
export async function restoreBackup(config: Config, from: string, clock: Clock): Promise<Manifest> {
  const src = path.resolve(from);
  const m = await readManifest(src);
  const target = config.dataDir;
  if (!(await isEmptyDir(target)))
    throw new BackupError(`目标数据目录不为空，拒绝覆盖 / the target data directory is not empty, refusing to restore over it: ${target}`);
  if ((m.dialect === 'postgres') !== Boolean(config.databaseUrl))
    throw new BackupError(`备份来自 ${m.dialect}，与目标数据库不符 / this is a ${m.dialect} backup: set DATABASE_URL accordingly (${src})`);
  const dbFile = path.join(src, m.database.file);
  const dbHash = await hashFile(dbFile).catch(() => undefined);
  if (dbHash?.sha256 !== m.database.sha256) throw new BackupError(`备份的数据库与清单哈希不符 / the backup's database does not match its manifest: ${dbFile}`);

  let schema: string | undefined;
  if (config.databaseUrl) {
    schema = await pgCurrentSchema(config.databaseUrl, config.pgSchema);
    if (schema !== m.pgSchema)
      throw new BackupError(
        `备份的 schema 是 ${m.pgSchema}，目标是 ${schema} / the backup restores schema ${m.pgSchema}: set LIAISON_PG_SCHEMA=${m.pgSchema} (${src})`,
      );
    const probe = await openDatabase({ url: config.databaseUrl });
    try {
      if ((await backupRepository(probe).pgRelations(schema)) > 0)
        throw new BackupError(`目标 schema 不为空，拒绝覆盖 / the target schema is not empty, refusing to restore over it: ${probe.describe}#${schema}`);
    } finally {
      await probe.close();
    }
  }

  await fs.mkdir(target, { recursive: true });
  try {
    if (config.databaseUrl) {
      // The schema is empty (checked above): --clean only lets the dump create it afresh.
      await run('pg_restore', ['--no-owner', '--clean', '--if-exists', '--exit-on-error', '--single-transaction', `--dbname=${config.databaseUrl}`, dbFile]);
    } else {
      const got = await copyVerified(dbFile, path.join(target, 'liaison.db'));
      if (got.sha256 !== m.database.sha256)
        throw new BackupError(`复制后的数据库哈希不符 / the copied database does not match the manifest: ${path.join(target, 'liaison.db')}`);
    }
    const listed = new Set<string>();
    for (const f of m.files) {
      if (!isSha256(path.basename(f.path)) || f.sha256 !== path.basename(f.path) || path.normalize(f.path).startsWith('..'))
        throw new BackupError(`清单中的附件条目无效 / a bad attachment entry in the manifest: ${f.path}`);
      const got = await copyVerified(path.join(src, 'files', f.path), path.join(target, 'files', f.path));
      if (got.sha256 !== f.sha256) throw new BackupError(`附件与清单哈希不符 / an attachment does not match the manifest: ${path.join(src, 'files', f.path)}`);
      listed.add(f.sha256);
    }
    const db = await openDatabase({ url: config.databaseUrl, pgSchema: schema, sqliteFile: path.join(target, 'liaison.db') });
    try {
      const tip = await verifiedHead(db, m.audit);
      if (tip.seq !== m.audit.seq || tip.hash !== m.audit.hash)
        throw new BackupError(`恢复后的审计链头与清单不符 / the restored chain ends at #${tip.seq}, the manifest says #${m.audit.seq}: ${src}`);
      const missing = (await backupRepository(db).attachmentHashes()).filter((h) => !listed.has(h));
      if (missing.length)
        throw new BackupError(
          `备份缺少 ${missing.length} 个附件 / the backup lacks ${missing.length} attachment(s) the database names, e.g. ${missing[0]}: ${src}`,
        );
      // The restored chain is the anchor from now on.
      await createAuditService(db, clock).writeAnchor(target);
    } finally {
      await db.close();
    }
    return m;
  } catch (err) {
    await fs.rm(target, { recursive: true, force: true });
    // It was empty before; `public` is left in place (emptied objects aside) rather than dropped.
    if (config.databaseUrl && schema && schema !== 'public') await pgDropSchema(config.databaseUrl, schema);
    throw err;
  }
}
