import { type Generated, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { Database, Queryable } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { indexText, type QueryPhrase, queryTokens } from './bigrams.js';

/** search_doc as this module sees it; `id` exists on SQLite only and is never written. */
interface SearchDocTable {
  id: Generated<number>;
  entity_type: string;
  entity_id: number;
  body: string;
}

// Declared here rather than in schema.ts: only this repository may touch the search tables.
type SearchTables = { search_doc: SearchDocTable };

/** What `matching` returns: a one-column subquery of entity ids, for `IN` or a join. */
export type MatchingIds = SelectQueryBuilder<Schema & SearchTables, 'search_doc', { entity_id: number }>;

export interface SearchRepository {
  /** Indexes (or re-indexes, replacing the old text of) one entity. Call inside the write's transaction. */
  index(q: Queryable, entityType: string, entityId: number, text: string): Promise<void>;
  remove(q: Queryable, entityType: string, entityId: number): Promise<void>;
  /**
   * A subquery selecting the `entity_id`s of `entityType` whose text contains every
   * whitespace-separated word of `query` (see bigrams.ts for what "contains" means). It is only
   * compiled into the caller's query, so it works inside any transaction:
   * `.where('case.id', 'in', search.matching('case', q))`. A query with nothing searchable in it
   * matches nothing; callers that want "no filter" for a blank box should skip the call.
   */
  matching(entityType: string, query: string): MatchingIds;
}

/** FTS5 query syntax: each phrase double-quoted (quotes doubled), implicit AND between them. */
function fts5Query(phrases: QueryPhrase[]): string {
  return phrases.map((p) => `"${p.tokens.join(' ').replaceAll('"', '""')}"${p.prefix ? '*' : ''}`).join(' ');
}

/** tsquery text literal: single-quoted with quotes and backslashes escaped. */
function tsLexeme(token: string): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function tsQuery(phrases: QueryPhrase[]): RawBuilder<unknown> {
  // phraseto_tsquery runs the same parser as to_tsvector did on the body, so tokens line up;
  // only the lone-character prefix form needs to_tsquery's syntax, built from an escaped literal.
  const parts = phrases.map((p) =>
    p.prefix
      ? sql`to_tsquery('simple'::regconfig, ${`${tsLexeme(p.tokens[0]!)}:*`}::text)`
      : sql`phraseto_tsquery('simple'::regconfig, ${p.tokens.join(' ')}::text)`,
  );
  return sql`(${sql.join(parts, sql` && `)})`;
}

export function searchRepository(db: Database): SearchRepository {
  const tables = (q: Queryable): Kysely<Schema & SearchTables> => (q as Kysely<Schema>).withTables<SearchTables>();
  const k = tables(db.kysely);

  return {
    async index(q, entityType, entityId, text) {
      const body = indexText(text);
      await tables(q)
        .insertInto('search_doc')
        .values({ entity_type: entityType, entity_id: entityId, body })
        .onConflict((oc) => oc.columns(['entity_type', 'entity_id']).doUpdateSet({ body }))
        .execute();
    },

    async remove(q, entityType, entityId) {
      await tables(q).deleteFrom('search_doc').where('entity_type', '=', entityType).where('entity_id', '=', entityId).execute();
    },

    matching(entityType, query) {
      const phrases = queryTokens(query);
      const base = k.selectFrom('search_doc').select('search_doc.entity_id').where('search_doc.entity_type', '=', entityType);
      if (phrases.length === 0) return base.where(sql<SqlBool>`1 = 0`);
      if (db.dialect === 'postgres') return base.where(sql<SqlBool>`search_doc.body_tsv @@ ${tsQuery(phrases)}`);
      // IN rather than a join so SQLite runs the MATCH once instead of probing the FTS index per row.
      return base.where(sql<SqlBool>`search_doc.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ${fts5Query(phrases)})`);
    },
  };
}
