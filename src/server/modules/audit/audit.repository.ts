import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { preparedQuery } from '../../platform/db/prepared.js';
import type { AuditEventTable } from '../../platform/db/schema.js';
import { type AuditFields, type ChainedEvent, GENESIS_HASH, hashEvent } from './audit.chain.js';

// Any constant works; it only has to be the same in every process sharing the database.
const AUDIT_LOCK_KEY = 7_263_001;

export type NewAuditEvent = Omit<AuditFields, 'seq'>;

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  /** Events about any of these entities (a page's history: the person and their account). */
  entities?: { type: string; id: string }[];
  action?: string;
  actorAccountId?: number;
  q?: string;
  from?: string;
  to?: string;
  /** Restrict to events on units inside these subtrees (materialized paths); undefined = all. */
  unitPaths?: string[];
  page: number;
  pageSize: number;
  order: 'asc' | 'desc';
}

function toEvent(r: AuditEventTable): ChainedEvent {
  return {
    seq: r.seq,
    at: r.at,
    actorAccountId: r.actor_account_id,
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    unitId: r.unit_id,
    before: r.before_json,
    after: r.after_json,
    requestId: r.request_id,
    ip: r.ip,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function toRow(e: ChainedEvent): AuditEventTable {
  return {
    seq: e.seq,
    at: e.at,
    actor_account_id: e.actorAccountId,
    actor_name: e.actorName,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId,
    unit_id: e.unitId,
    before_json: e.before,
    after_json: e.after,
    request_id: e.requestId,
    ip: e.ip,
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

export function auditRepository(db: Database) {
  // Every recorded change reads the chain's end and moves its head: compiled once (ADR 0016).
  const lastEvent = preparedQuery((_: Record<string, never>) => db.kysely.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1));
  const moveHead = preparedQuery((a: { seq: number; hash: string }) =>
    db.kysely.updateTable('audit_head').set({ seq: a.seq, hash: a.hash }).where('id', '=', 1),
  );
  return {
    /**
     * Appends events in the given order inside the caller's transaction: the chain head is locked
     * (so concurrent writers serialize) and read once, and rows go in with multi-row inserts.
     */
    async append(tx: Tx, events: readonly NewAuditEvent[]): Promise<ChainedEvent[]> {
      if (events.length === 0) return [];
      if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
      const [last] = await lastEvent(tx, {});
      let seq = last?.seq ?? 0;
      let prevHash = last?.hash ?? GENESIS_HASH;
      const chained = events.map((e): ChainedEvent => {
        const fields: AuditFields = { ...e, seq: ++seq };
        const event = { ...fields, prevHash, hash: hashEvent(prevHash, fields) };
        prevHash = event.hash;
        return event;
      });
      // 14 parameters a row: 500 rows stay far below PostgreSQL's and SQLite's limits.
      for (let i = 0; i < chained.length; i += 500) {
        await tx
          .insertInto('audit_event')
          .values(chained.slice(i, i + 500).map(toRow))
          .execute();
      }
      // The head moves in the same transaction, so a cut tail is caught (ADR 0008).
      await moveHead(tx, { seq, hash: prevHash });
      return chained;
    },

    /** The recorded head: the seq and hash of the last event ever appended (undefined: the row is gone). */
    head: (q: Queryable = db.kysely) => q.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst(),

    /** The event with this seq, for checking an anchor kept elsewhere. */
    event: async (seq: number, q: Queryable = db.kysely) => {
      const r = await q.selectFrom('audit_event').selectAll().where('seq', '=', seq).executeTakeFirst();
      return r && toEvent(r);
    },

    /**
     * The triggers on the audit tables as the database holds them: name, table, whether enabled,
     * and their body (SQLite: the trigger's SQL; PostgreSQL: the function's source).
     */
    async triggers(): Promise<{ name: string; table: string; enabled: boolean; body: string }[]> {
      if (db.dialect === 'postgres') {
        const r = await sql<{ name: string; table: string; enabled: string; body: string }>`
          select t.tgname as name, c.relname as table, t.tgenabled as enabled,
            replace(pg_get_triggerdef(t.oid), quote_ident(current_schema()) || '.', '') || ' ' || p.prosrc as body
          from pg_trigger t
          join pg_class c on c.oid = t.tgrelid
          join pg_proc p on p.oid = t.tgfoid
          where not t.tgisinternal and c.oid in (to_regclass('audit_event'), to_regclass('audit_head'))`.execute(db.kysely);
        // 'D' is a disabled trigger; 'O' fires normally, 'A' always, 'R' only for replication.
        return r.rows.map((t) => ({ name: t.name, table: t.table, enabled: t.enabled === 'O' || t.enabled === 'A', body: t.body }));
      }
      const r = await sql<{ name: string; table: string; body: string }>`
        select name, tbl_name as "table", sql as body from sqlite_master
        where type = 'trigger' and tbl_name in ('audit_event', 'audit_head')`.execute(db.kysely);
      return r.rows.map((t) => ({ ...t, enabled: true }));
    },

    async search(query: AuditQuery): Promise<{ items: ChainedEvent[]; total: number }> {
      let q = db.kysely.selectFrom('audit_event').leftJoin('unit', 'unit.id', 'audit_event.unit_id');
      if (query.entityType) q = q.where('audit_event.entity_type', '=', query.entityType);
      if (query.entityId) q = q.where('audit_event.entity_id', '=', query.entityId);
      const entities = query.entities;
      if (entities?.length)
        q = q.where((eb) => eb.or(entities.map((e) => eb.and([eb('audit_event.entity_type', '=', e.type), eb('audit_event.entity_id', '=', e.id)]))));
      if (query.action) q = q.where('audit_event.action', 'like', `${query.action}%`);
      if (query.actorAccountId) q = q.where('audit_event.actor_account_id', '=', query.actorAccountId);
      if (query.from) q = q.where('audit_event.at', '>=', query.from);
      if (query.to) q = q.where('audit_event.at', '<', query.to);
      if (query.q) {
        const like = `%${query.q}%`;
        q = q.where((eb) =>
          eb.or([
            eb('audit_event.actor_name', 'like', like),
            eb('audit_event.after_json', 'like', like),
            eb('audit_event.before_json', 'like', like),
            eb('audit_event.entity_id', '=', query.q as string),
          ]),
        );
      }
      const paths = query.unitPaths;
      if (paths) {
        if (paths.length === 0) return { items: [], total: 0 };
        q = q.where((eb) => eb.or(paths.map((p) => eb('unit.path', 'like', `${p}%`))));
      }
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll('audit_event')
        .orderBy('audit_event.seq', query.order)
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize)
        .execute();
      return { items: rows.map(toEvent), total: Number(total.n) };
    },

    /** Streams the whole chain in order, in pages, for verification. */
    async *walk(q: Queryable = db.kysely, batch = 2000): AsyncGenerator<ChainedEvent> {
      let after = 0;
      for (;;) {
        const rows = await q.selectFrom('audit_event').selectAll().where('seq', '>', after).orderBy('seq').limit(batch).execute();
        for (const r of rows) yield toEvent(r);
        if (rows.length < batch) return;
        after = rows[rows.length - 1]!.seq;
      }
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
