import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Why the server will not start on this data directory, in one line naming the path. A damaged
 * database is never taken for a fresh install (issue 8, security 8): the setup page, which hands
 * the whole installation to whoever reaches it first, opens only when there is no database at all.
 */
export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const RESTORE = '请从备份恢复（npm run restore）/ restore it from a backup (npm run restore)';

/** Files that only an installation that has run leaves behind. */
const TRACES = ['liaison.db-wal', 'audit-anchor.json'];

/**
 * Checks the data directory before the database is opened: it is a directory the server can write
 * (created if missing), and the SQLite file is either absent, with nothing showing it ever existed,
 * or a non-empty file with SQLite's header. Returns whether the database file was already there.
 * `sqliteFile` is undefined on PostgreSQL (the directory still holds the attachments).
 */
export function prepareDataDir(dataDir: string, sqliteFile: string | undefined): { existing: boolean } {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new DataDirError(`无法创建数据目录 / cannot create the data directory: ${dataDir} (${code(err)})`);
  }
  if (!fs.statSync(dataDir).isDirectory()) throw new DataDirError(`数据目录不是目录 / the data directory is not a directory: ${dataDir}`);
  assertWritable(dataDir);
  if (!sqliteFile) return { existing: false };

  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(sqliteFile);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw new DataDirError(`无法读取数据库 / cannot read the database: ${sqliteFile} (${code(err)})`);
  }
  if (!stat) {
    const traces = TRACES.filter((f) => fs.existsSync(path.join(path.dirname(sqliteFile), f)));
    const filesDir = path.join(dataDir, 'files');
    if (fs.existsSync(filesDir) && fs.readdirSync(filesDir).length > 0) traces.push('files/');
    if (traces.length) throw new DataDirError(`数据库文件缺失，但数据目录显示曾有数据库（${traces.join(', ')}）；${RESTORE}: ${sqliteFile} is missing`);
    return { existing: false };
  }
  if (!stat.isFile()) throw new DataDirError(`数据库不是普通文件 / the database is not a regular file: ${sqliteFile}`);
  if (stat.size === 0) throw new DataDirError(`数据库文件为空（0 字节），不是新安装；${RESTORE}: ${sqliteFile}`);
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(sqliteFile, 'r');
  try {
    fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw new DataDirError(`不是 SQLite 数据库文件；${RESTORE}: ${sqliteFile} is not a database`);
  return { existing: true };
}

/** Writes, syncs and removes a file: permission bits say too little (root, read-only mounts, full disks). */
function assertWritable(dir: string): void {
  const probe = path.join(dir, `.write-probe-${randomBytes(6).toString('hex')}`);
  try {
    const fd = fs.openSync(probe, 'wx');
    try {
      fs.writeSync(fd, 'ok');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(probe);
  } catch (err) {
    fs.rmSync(probe, { force: true });
    throw new DataDirError(`数据目录不可写 / the data directory is not writable: ${dir} (${code(err)})`);
  }
}

function code(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(err));
}
