import { sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../platform/db/database.js';
import type { ChainHead } from '../audit/index.js';

export function backupRepository(db: Database) {
  return {
    /** Every attachment the database refers to: each must be in the backup's file store. */
    async attachmentHashes(): Promise<string[]> {
      const rows = await db.kysely.selectFrom('case_attachment').select('sha256').distinct().execute();
      return rows.map((r) => r.sha256);
    },
    /** Tables (and views) in the PostgreSQL schema: a restore goes only into an empty one. */
    async pgRelations(schema: string): Promise<number> {
      const r = await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = ${schema}`.execute(db.kysely);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}

/**
 * Runs `fn` inside a REPEATABLE READ transaction whose snapshot is exported (for `pg_dump
 * --snapshot`), with the audit head as that snapshot sees it: the dump and the head are one moment.
 */
export async function withPgSnapshot<T>(url: string, schema: string, fn: (snapshot: string, head: ChainHead) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snap = await c.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    const head = await c.query<ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
    if (!head.rows[0]) throw new Error('audit_head row missing');
    const out = await fn(snap.rows[0]?.id as string, { seq: Number(head.rows[0].seq), hash: head.rows[0].hash });
    await c.query('COMMIT');
    return out;
  } finally {
    await c.end();
  }
}

/** The schema the connection works in (`LIAISON_PG_SCHEMA`, else the first of the search path). */
export async function pgCurrentSchema(url: string, schema: string | undefined): Promise<string> {
  if (schema) return schema;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
  } finally {
    await c.end();
  }
}

/** Drops a schema this restore filled, after a failed verification (it was empty before). */
export async function pgDropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
  } finally {
    await c.end();
  }
}
