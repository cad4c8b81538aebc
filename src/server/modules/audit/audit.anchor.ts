import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ChainHead } from './audit.chain.js';

/**
 * The audit chain's head kept outside the database (ADR 0008): `audit-anchor.json` in the data
 * directory, rewritten by the server as the chain grows, and copied into every backup's manifest.
 * Someone who cuts the tail and moves the head row back still leaves this behind.
 */
export const ANCHOR_FILE = 'audit-anchor.json';

export interface AnchorRecord extends ChainHead {
  /** When it was written (ISO-8601 UTC). */
  at: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The `audit` part of an anchor file or of a backup manifest, or undefined when it holds none. */
export function parseAnchor(json: unknown): AnchorRecord | undefined {
  const o = json as { audit?: unknown; seq?: unknown } | null;
  const a = (o && typeof o === 'object' && 'audit' in o ? o.audit : o) as Partial<AnchorRecord> | null;
  if (!a || typeof a.seq !== 'number' || !Number.isInteger(a.seq) || a.seq < 0 || typeof a.hash !== 'string' || !HEX64.test(a.hash)) return undefined;
  return { seq: a.seq, hash: a.hash, at: typeof a.at === 'string' ? a.at : '' };
}

/** Reads an anchor (or manifest) file; undefined when there is none. A file that is there but unreadable is an error. */
export async function readAnchor(file: string): Promise<AnchorRecord | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const a = parseAnchor(JSON.parse(text));
  if (!a) throw new Error(`${file}: no audit head in it`);
  return a;
}

/** Writes the anchor atomically and durably (temp file, fsync, rename, fsync of the directory). */
export async function writeAnchor(dir: string, head: ChainHead, at: string): Promise<void> {
  const file = path.join(dir, ANCHOR_FILE);
  const temp = path.join(dir, `.${ANCHOR_FILE}.${randomBytes(6).toString('hex')}`);
  const body = `${JSON.stringify({ audit: { seq: head.seq, hash: head.hash, at } }, null, 2)}\n`;
  const h = await fs.open(temp, 'wx');
  try {
    await h.writeFile(body);
    await h.sync();
  } finally {
    await h.close();
  }
  await fs.rename(temp, file);
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
