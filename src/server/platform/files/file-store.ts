import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed storage for uploaded files: the name is the SHA-256 of the bytes, so the same
 * attachment forwarded along a reporting chain is stored once, and a file can be checked against
 * the hash recorded in the database (and in the audit trail).
 */
export interface FileStore {
  readonly root: string;
  /** Stores the bytes unless identical content is already there; durable once resolved. */
  put(data: Uint8Array): Promise<StoredFile>;
  /** The bytes, verified against the hash. */
  read(sha256: string): Promise<Buffer>;
  /** For downloads; unverified, and a missing file surfaces as the stream's 'error' event (check `has` first). */
  createReadStream(sha256: string): ReadStream;
  has(sha256: string): Promise<boolean>;
}

export interface StoredFile {
  sha256: string;
  size: number;
  /** Absolute path of the stored file. */
  path: string;
}

export type FileStoreErrorCode = 'invalid_sha256' | 'not_found' | 'corrupt';

export class FileStoreError extends Error {
  constructor(
    readonly code: FileStoreErrorCode,
    readonly sha256: string,
  ) {
    super(`${code}: ${sha256.slice(0, 80)}`);
    this.name = 'FileStoreError';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The canonical form the store hands out: 64 lower-case hex digits. */
export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Temporary files start with this; anything so named is debris of an interrupted write. */
export const TEMP_PREFIX = '.tmp-';

export function createFileStore(root: string): FileStore {
  const base = path.resolve(root);

  // Hashes arrive from URLs and database rows; only a strict 64-hex string may become a path.
  const locate = (sha256: string): { sha256: string; file: string } => {
    const hash = typeof sha256 === 'string' ? sha256.toLowerCase() : '';
    if (!SHA256.test(hash)) throw new FileStoreError('invalid_sha256', String(sha256));
    // Two levels of 256 keep directories small enough for every filesystem and for `ls`.
    return { sha256: hash, file: path.join(base, hash.slice(0, 2), hash.slice(2, 4), hash) };
  };

  return {
    root: base,

    async put(data) {
      const sha256 = sha256Hex(data);
      const { file } = locate(sha256);
      const stored = { sha256, size: data.byteLength, path: file };
      // The size check repairs a file damaged outside the store; a full re-hash on every upload is not worth it.
      if ((await sizeOf(file)) === data.byteLength) return stored;

      const dir = path.dirname(file);
      const created = await mkdir(dir, { recursive: true });
      const temp = path.join(dir, `${TEMP_PREFIX}${sha256.slice(0, 16)}-${randomBytes(8).toString('hex')}`);
      try {
        const handle = await open(temp, 'wx');
        try {
          await handle.writeFile(data);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        // A concurrent put of the same bytes may have won the rename (Windows refuses to replace an open file).
        if ((await sizeOf(file)) !== data.byteLength) throw err;
        return stored;
      }
      // The rename is durable only once the directory entry is; likewise each directory just created.
      for (const d of directoriesToSync(dir, created)) await syncDirectory(d);
      return stored;
    },

    async read(sha256) {
      const { sha256: hash, file } = locate(sha256);
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (err) {
        if (isNotFound(err)) throw new FileStoreError('not_found', hash);
        throw err;
      }
      if (sha256Hex(data) !== hash) throw new FileStoreError('corrupt', hash);
      return data;
    },

    createReadStream(sha256) {
      return createReadStream(locate(sha256).file);
    },

    async has(sha256) {
      return (await sizeOf(locate(sha256).file)) !== undefined;
    },
  };
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** `dir` itself, and when mkdir created directories, each of them and the parent of the first. */
function directoriesToSync(dir: string, created: string | undefined): string[] {
  const out = [dir];
  if (created === undefined) return out;
  for (let d = dir; d !== created && path.dirname(d) !== d; d = path.dirname(d)) out.push(path.dirname(d));
  out.push(path.dirname(created));
  return out;
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    // Windows cannot open a directory for fsync; NTFS journals the rename instead.
    if (process.platform !== 'win32') throw err;
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
