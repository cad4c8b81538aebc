import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore, type FileStore, FileStoreError, isSha256, TEMP_PREFIX } from './file-store.js';

const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const CONTENT = Buffer.from('关于做好年度安全生产工作的联络函\n', 'utf8');
const CONTENT_SHA = sha(CONTENT);

let tmp: string;
let root: string;
let store: FileStore;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'liaison-files-'));
  // Not created up front: the store must make its own directories.
  root = path.join(tmp, 'data', 'files');
  store = createFileStore(root);
});

afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Every file under the root, relative, so tests see exactly what was written. */
async function listFiles(dir = root): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const expectStoreError = async (promise: Promise<unknown>, code: string) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FileStoreError);
  expect((err as FileStoreError).code).toBe(code);
};

describe('file store: put', () => {
  it('stores content under root/ab/cd/<sha256> and reports hash, size and absolute path', async () => {
    const stored = await store.put(CONTENT);
    expect(stored).toEqual({
      sha256: CONTENT_SHA,
      size: CONTENT.length,
      path: path.join(root, CONTENT_SHA.slice(0, 2), CONTENT_SHA.slice(2, 4), CONTENT_SHA),
    });
    expect(path.isAbsolute(stored.path)).toBe(true);
    expect(await readFile(stored.path)).toEqual(CONTENT);
    expect(await listFiles()).toEqual([path.join(CONTENT_SHA.slice(0, 2), CONTENT_SHA.slice(2, 4), CONTENT_SHA)]);
  });

  it('resolves a relative root to an absolute one', () => {
    expect(createFileStore('relative/files').root).toBe(path.resolve('relative/files'));
  });

  it('stores identical content once and leaves the existing file untouched', async () => {
    const first = await store.put(CONTENT);
    const before = await stat(first.path);
    const second = await store.put(Buffer.from(CONTENT));
    expect(second).toEqual(first);
    expect((await stat(first.path)).ino).toBe(before.ino);
    expect((await stat(first.path)).mtimeMs).toBe(before.mtimeMs);
    expect(await listFiles()).toHaveLength(1);
  });

  it('stores different content side by side', async () => {
    const a = await store.put(Buffer.from('甲'));
    const b = await store.put(Buffer.from('乙'));
    expect(a.sha256).not.toBe(b.sha256);
    expect(await listFiles()).toHaveLength(2);
  });

  it('leaves no temporary files behind', async () => {
    await store.put(CONTENT);
    await store.put(CONTENT);
    expect((await listFiles()).some((f) => path.basename(f).startsWith(TEMP_PREFIX))).toBe(false);
  });

  it('survives concurrent puts of the same content with a single stored file', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => store.put(Buffer.from(CONTENT))));
    for (const r of results) expect(r.sha256).toBe(CONTENT_SHA);
    expect(await listFiles()).toHaveLength(1);
    expect(await store.read(CONTENT_SHA)).toEqual(CONTENT);
  });

  it('accepts a plain Uint8Array and empty content', async () => {
    const stored = await store.put(new Uint8Array([1, 2, 3]));
    expect(stored).toMatchObject({ sha256: sha(new Uint8Array([1, 2, 3])), size: 3 });
    const empty = await store.put(new Uint8Array(0));
    expect(empty).toMatchObject({ sha256: sha(''), size: 0 });
    expect(await store.read(empty.sha256)).toEqual(Buffer.alloc(0));
  });

  it('replaces a stored file whose size no longer matches its hash', async () => {
    const stored = await store.put(CONTENT);
    await truncate(stored.path, 5);
    await store.put(CONTENT);
    expect(await readFile(stored.path)).toEqual(CONTENT);
  });

  it('fails loudly when the root cannot be created', async () => {
    await writeFile(path.join(tmp, 'occupied'), 'not a directory');
    await expect(createFileStore(path.join(tmp, 'occupied', 'files')).put(CONTENT)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('stores a 20 MB upload intact', async () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0xab);
    const stored = await store.put(big);
    expect(stored.size).toBe(big.length);
    expect((await store.read(stored.sha256)).equals(big)).toBe(true);
  });
});

describe('file store: read, createReadStream, has', () => {
  it('reads back exactly the stored bytes', async () => {
    const { sha256 } = await store.put(CONTENT);
    expect(await store.read(sha256)).toEqual(CONTENT);
  });

  it('accepts an upper-case hash for the same file', async () => {
    const { sha256 } = await store.put(CONTENT);
    expect(await store.read(sha256.toUpperCase())).toEqual(CONTENT);
    expect(await store.has(sha256.toUpperCase())).toBe(true);
  });

  it('streams the stored bytes', async () => {
    const { sha256 } = await store.put(CONTENT);
    expect(await text(store.createReadStream(sha256))).toBe(CONTENT.toString('utf8'));
  });

  it('reports whether content is present', async () => {
    expect(await store.has(CONTENT_SHA)).toBe(false);
    await store.put(CONTENT);
    expect(await store.has(CONTENT_SHA)).toBe(true);
  });

  it('refuses to read missing content as not_found', async () => {
    await expectStoreError(store.read(CONTENT_SHA), 'not_found');
  });

  it('reports a missing file through the stream error event', async () => {
    const stream = store.createReadStream(CONTENT_SHA);
    await expect(text(stream)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses to return bytes that no longer match their hash as corrupt', async () => {
    const { path: file, sha256 } = await store.put(CONTENT);
    await writeFile(file, Buffer.from('篡改后的内容'));
    await expectStoreError(store.read(sha256), 'corrupt');
  });
});

describe('file store: hash validation', () => {
  const invalid = [
    '',
    'abc',
    CONTENT_SHA.slice(0, 63),
    `${CONTENT_SHA}0`,
    `${CONTENT_SHA.slice(0, 63)}g`,
    `../../${CONTENT_SHA.slice(6)}`,
    `${CONTENT_SHA.slice(0, 2)}/${CONTENT_SHA.slice(3)}`,
    `${CONTENT_SHA.slice(0, 62)}\0a`,
    ` ${CONTENT_SHA.slice(1)}`,
  ];

  it.each(invalid)('refuses %j before touching the filesystem', async (hash) => {
    await expectStoreError(store.read(hash), 'invalid_sha256');
    await expectStoreError(store.has(hash), 'invalid_sha256');
    expect(() => store.createReadStream(hash)).toThrow(FileStoreError);
  });

  it('cannot be led outside the root by a traversal string, even when the target exists', async () => {
    await writeFile(path.join(tmp, 'secret.txt'), 'secret');
    await expectStoreError(store.read('../../../secret.txt'), 'invalid_sha256');
    expect(await listFiles(tmp)).toEqual([path.join('..', '..', 'secret.txt')]);
  });

  it('refuses values that are not strings at all', async () => {
    await expectStoreError(store.read(undefined as unknown as string), 'invalid_sha256');
  });

  it('tells a valid hash from an invalid one', () => {
    expect(isSha256(CONTENT_SHA)).toBe(true);
    expect(isSha256(CONTENT_SHA.toUpperCase())).toBe(false);
    expect(isSha256('../etc/passwd')).toBe(false);
  });
});
