import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  Kysely,
  Migrator,
  PostgresDialect,
  type PostgresPool,
  type SchemaMetadata,
  sql,
  type TableMetadata,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { foundation } from './migrations/0001-foundation.js';
import { cases } from './migrations/0002-cases.js';
import { search } from './migrations/0003-search.js';
import { inboxIndexes } from './migrations/0004-inbox-indexes.js';
import { notificationTasks } from './migrations/0008-notification-tasks.js';
import { loginThrottle } from './migrations/0009-login-throttle.js';
import { taskAwaits } from './migrations/0010-task-awaits.js';
import { durability } from './migrations/0011-durability.js';
import { jobs } from './migrations/0012-jobs.js';
import { ledger } from './migrations/0013-ledger.js';
import { unitPolicies } from './migrations/0014-unit-policies.js';
import { clockReminders } from './migrations/0015-clock-reminders.js';
import { inboxCounts } from './migrations/0016-inbox-counts.js';
import { delegation } from './migrations/0017-delegation.js';
import { caseLinks } from './migrations/0018-case-links.js';
import { personParts } from './migrations/0019-person-parts.js';
import { schoolTerms } from './migrations/0020-school-terms.js';
import type { Schema } from './schema.js';
import { MAIN_CONNECTION_AUTOCHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer.js';
import { GroupCommitSqliteDialect, type GroupCommitStats } from './sqlite-group-commit.js';

export type DialectName = 'sqlite' | 'postgres';
export type Tx = Transaction<Schema>;
export type Queryable = Kysely<Schema> | Tx;

export interface Database {
  kysely: Kysely<Schema>;
  dialect: DialectName;
  /** Human-readable location, for logs and /api/health. Never contains a password. */
  describe: string;
  /** The PostgreSQL schema in use when not the default one. */
  pgSchema?: string;
  /** SQLite only: transactions and the commits they shared (group commit, ADR 0007). */
  groupCommit?: GroupCommitStats;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… or undefined for SQLite. */
  url?: string;
  /** SQLite file location; ':memory:' for a throwaway database. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  pgSchema?: string;
}

// PostgreSQL returns COUNT(*) and bigint as strings; our integer columns are int4 and counts fit in a number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: 10,
      // Each connection keeps its prepared statements; a connection retires after this many uses.
      maxUses: 5000,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    if (opts.pgSchema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${opts.pgSchema}"`);
      } finally {
        client.release();
      }
    }
    const kysely = new Kysely<Schema>({ dialect: new OwnSchemaPostgresDialect({ pool: withNamedStatements(pool) }) });
    const u = new URL(opts.url);
    return {
      kysely,
      dialect: 'postgres',
      pgSchema: opts.pgSchema,
      describe: `postgres://${u.host}${u.pathname}${opts.pgSchema ? `#${opts.pgSchema}` : ''}`,
      close: () => kysely.destroy(),
    };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL for concurrent readers; synchronous=FULL so a committed change survives power loss (ADR 0002).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file);
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${MAIN_CONNECTION_AUTOCHECKPOINT_PAGES}`);
  const dialect = new GroupCommitSqliteDialect(withStatementCache(sqlite));
  const kysely = new Kysely<Schema>({ dialect });
  return {
    kysely,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    groupCommit: dialect.stats,
    async close() {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

/**
 * Kysely sends every query unnamed, so PostgreSQL parses and plans it again each time: in the case
 * benchmark that was most of the database's CPU. A query with parameters is sent as a named
 * prepared statement (named by a hash of its text), which each connection parses once. What a
 * connection keeps is bounded by the distinct query texts and by the pool's `maxUses`.
 */
/**
 * PostgreSQL as Kysely sees it, introspecting only the connection's own schema. Kysely's migrator
 * lists tables to find its bookkeeping, and its stock introspector reads every schema's columns with
 * `pg_get_serial_sequence`: a table another process altered or dropped meanwhile (tests and
 * benchmarks create and drop schemas all the time) failed our migrations with errors about someone
 * else's tables ("column "id" of relation "health_probe" does not exist", "relation
 * kysely_migration does not exist"). The catalogs are read directly, without calls that can fail
 * on a relation that just went away; only names are needed.
 */
class OwnSchemaPostgresDialect extends PostgresDialect {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own dialects type the introspector's database this way.
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    const getTables = async (): Promise<TableMetadata[]> => {
      const r = await sql<{ name: string; schema: string; kind: string }>`
        select c.relname as name, n.nspname as schema, c.relkind as kind
        from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')`.execute(db);
      return r.rows.map((t) => ({ name: t.name, schema: t.schema, isView: t.kind === 'v' || t.kind === 'm', columns: [] }));
    };
    return {
      getSchemas: async (): Promise<SchemaMetadata[]> => (await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace`.execute(db)).rows,
      getTables,
      getMetadata: async (): Promise<DatabaseMetadata> => ({ tables: await getTables() }),
    };
  }
}

function withNamedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `q${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
  const named = new WeakSet<pg.PoolClient>();
  const connect = async () => {
    const client = await pool.connect();
    if (!named.has(client)) {
      named.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      Object.assign(client, {
        query: (text: unknown, values?: unknown[]) =>
          typeof text === 'string' && values?.length ? query({ name: nameOf(text), text, values }) : query(text, values),
      });
    }
    return client;
  };
  return { connect, end: () => pool.end() };
}

/**
 * Kysely's SQLite driver prepares every statement again on each query (17 % of the server's CPU in
 * the case benchmark). Statements are reused by their SQL text.
 * One connection behind the driver's lock means a statement is never used by two queries at once.
 */
function withStatementCache(db: SqliteDatabase.Database, max = 2000) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    get inTransaction() {
      return db.inTransaction;
    },
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        // Distinct texts are few (one per query shape and list length); a full cache starts over
        // rather than paying for least-recently-used bookkeeping on every query.
        if (cache.size >= max) cache.clear();
        stmt = db.prepare(sqlText);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

export async function migrate(db: Database): Promise<void> {
  const migrations = {
    '0001-foundation': foundation(db.dialect),
    '0002-cases': cases(db.dialect),
    '0003-search': search(db.dialect),
    '0004-inbox-indexes': inboxIndexes(db.dialect),
    '0008-notification-tasks': notificationTasks(db.dialect),
    '0009-login-throttle': loginThrottle(db.dialect),
    '0010-task-awaits': taskAwaits(db.dialect),
    '0011-durability': durability(db.dialect),
    '0012-jobs': jobs(db.dialect),
    '0013-ledger': ledger(db.dialect),
    '0014-unit-policies': unitPolicies(db.dialect),
    '0015-clock-reminders': clockReminders(db.dialect),
    '0016-inbox-counts': inboxCounts(db.dialect),
    '0017-delegation': delegation(db.dialect),
    '0018-case-links': caseLinks(db.dialect),
    '0019-person-parts': personParts(db.dialect),
    '0020-school-terms': schoolTerms(db.dialect),
  };
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    // Kysely's bookkeeping tables live in our schema (the introspector looks nowhere else).
    ...(db.pgSchema && { migrationTableSchema: db.pgSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}

/**
 * Reads the whole schema and the migrations table of a database file that was already there: a
 * SQLite file holding something else (another program's tables, or none) is not a Liaison database.
 */
export async function isLiaisonDatabase(db: Database): Promise<boolean> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.kysely);
  if (!tables.rows.some((t) => t.name === 'kysely_migration')) return false;
  await sql`select count(*) from kysely_migration`.execute(db.kysely);
  return true;
}

/** Is this error a unique-constraint violation, on either dialect? */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
