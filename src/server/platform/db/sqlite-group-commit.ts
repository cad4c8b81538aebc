import type SqliteDatabase from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

/**
 * SQLite with group commit (ADR 0007). With synchronous=FULL every COMMIT waits for an fsync, and
 * better-sqlite3 waits on the event loop: one fsync per action was a quarter of the server's time
 * under load. Here a transaction runs inside a savepoint of a longer SQLite transaction (the
 * group); when it ends, the connection goes to the next transaction already waiting, and one
 * COMMIT makes the whole group durable. A transaction's promise settles only after that COMMIT, so
 * nobody is told "done" before the data is on disk, and a failed transaction rolls back its own
 * savepoint without touching the others. With nobody waiting, a group is one transaction and
 * commits at once, as before.
 *
 * Transactions start the group with BEGIN IMMEDIATE: a transaction that reads before it writes
 * (every case action) would otherwise fail with "database is locked" when another process wrote in
 * between, because busy_timeout does not cover upgrading a read lock to a write lock.
 *
 * A query outside a transaction that arrives while a group is open runs inside it and may see
 * writes of the group that are not yet durable; if SQLite then loses the group (an I/O error, a
 * full disk), those writers get an error, not an answer. A write outside a transaction that runs
 * inside a group is answered, like the group's transactions, after its COMMIT.
 */
/** How long a transaction waits for another process's write lock before it fails (ms). */
export const LOCK_WAIT_MS = 60_000;

export class GroupCommitSqliteDialect implements Dialect {
  /** How many transactions shared how many commits (tests and the benchmark read it). */
  readonly stats: GroupCommitStats = { transactions: 0, commits: 0 };
  constructor(private readonly db: SqliteLike) {}
  createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.db, this.stats);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own dialects type the introspector's database this way.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/** What the driver needs of a better-sqlite3 database (the statement cache wraps one). */
export interface SqliteLike {
  prepare(sql: string): SqliteDatabase.Statement;
  readonly inTransaction: boolean;
  close(): void;
}

export interface GroupCommitStats {
  transactions: number;
  commits: number;
}

interface Group {
  done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

const SAVEPOINT = 'liaison_tx';

class GroupCommitSqliteDriver implements Driver {
  readonly #db: SqliteLike;
  /** Whoever holds the one connection runs; the rest wait in arrival order. */
  #busy = false;
  readonly #queue: (() => void)[] = [];
  #group: Group | undefined;
  readonly #stats: GroupCommitStats;

  constructor(db: SqliteLike, stats: GroupCommitStats) {
    this.#db = db;
    this.#stats = stats;
  }

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock();
    return new Lease(this);
  }

  async beginTransaction(connection: DatabaseConnection) {
    const lease = connection as Lease;
    if (!this.#group) {
      await this.#beginImmediate();
      const group = newGroup();
      this.#group = group;
      // better-sqlite3 is synchronous, so a request's whole transaction runs within one turn of the
      // event loop. The COMMIT waits for the end of that turn: the other requests read in it join
      // the group, then queue behind its COMMIT for the connection like everyone else.
      setImmediate(() => void this.#commitWhenDue(group));
    }
    lease.group = this.#group;
    this.run(`savepoint ${SAVEPOINT}`);
  }

  /**
   * BEGIN IMMEDIATE, waiting its turn while another process writes. busy_timeout covers a short
   * wait (and blocks this process meanwhile); a longer one (a loaded machine, a long checkpoint)
   * used to fail the transaction with "database is locked". It is tried again, without blocking,
   * until LOCK_WAIT_MS have passed.
   */
  async #beginImmediate() {
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      try {
        this.run('begin immediate');
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() + pause > giveUpAt) throw err;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }

  async commitTransaction(connection: DatabaseConnection) {
    const lease = connection as Lease;
    const group = lease.group as Group;
    this.run(`release ${SAVEPOINT}`);
    lease.finished = true;
    this.#stats.transactions++;
    // Hand the connection on now; this transaction is answered when its group is durable.
    lease.release();
    await group.done;
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    const lease = connection as Lease;
    // Its savepoint was released and the group then failed: nothing left to undo here.
    if (lease.finished) return;
    if (this.#db.inTransaction) {
      this.run(`rollback to ${SAVEPOINT}`);
      this.run(`release ${SAVEPOINT}`);
    } else {
      this.#lost(new Error('SQLite rolled back the open transaction group'));
    }
  }

  async releaseConnection(connection: DatabaseConnection) {
    const lease = connection as Lease;
    lease.release();
    // A write outside a transaction that ran inside an open group is durable when the group is.
    if (lease.wroteInto) await lease.wroteInto.done;
  }

  async destroy() {
    await this.#lock();
    try {
      if (this.#group) this.#commit(this.#group);
    } finally {
      this.#db.close();
    }
  }

  run(sqlText: string) {
    this.#db.prepare(sqlText).run();
  }

  execute<R>(lease: Lease, compiled: CompiledQuery): QueryResult<R> {
    const stmt = this.#db.prepare(compiled.sql);
    if (!lease.group && this.#group && !stmt.readonly) lease.wroteInto = this.#group;
    try {
      if (stmt.reader) return { rows: stmt.all(compiled.parameters) as R[] };
      const { changes, lastInsertRowid } = stmt.run(compiled.parameters);
      return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
    } catch (err) {
      // Some errors (a full disk, an I/O error) make SQLite roll back the whole transaction, group included.
      if (this.#group && !this.#db.inTransaction) this.#lost(err);
      throw err;
    }
  }

  unlock() {
    const next = this.#queue.shift();
    if (next) next();
    else this.#busy = false;
  }

  #lock(): Promise<void> {
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  async #commitWhenDue(group: Group) {
    await this.#lock();
    try {
      if (this.#group === group) this.#commit(group);
    } finally {
      this.unlock();
    }
  }

  #commit(group: Group) {
    this.#group = undefined;
    try {
      this.run('commit');
      this.#stats.commits++;
      group.resolve();
    } catch (err) {
      try {
        if (this.#db.inTransaction) this.run('rollback');
      } finally {
        group.reject(err);
      }
    }
  }

  /** The group's transaction is gone: every member that already finished learns it was not saved. */
  #lost(err: unknown) {
    const group = this.#group;
    this.#group = undefined;
    group?.reject(err);
  }
}

function newGroup(): Group {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A group nobody waits on (only queries outside transactions joined it) must not be an unhandled rejection.
  done.catch(() => {});
  return { done, resolve, reject };
}

/** One holder's use of the connection: Kysely hands it to every query of a transaction. */
class Lease implements DatabaseConnection {
  /** The group this lease's transaction runs in. */
  group: Group | undefined;
  /** Outside a transaction: the open group a write of this lease went into. */
  wroteInto: Group | undefined;
  finished = false;
  #released = false;
  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, compiled);
  }

  // biome-ignore lint/correctness/useYield: streaming is not used; Kysely's interface requires the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on SQLite here');
  }

  release() {
    if (this.#released) return;
    this.#released = true;
    this.driver.unlock();
  }
}
