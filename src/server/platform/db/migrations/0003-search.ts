import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Full-text search over any entity: one row per (entity_type, entity_id) whose body is the token
 * string from `platform/search/bigrams.ts`. Stands alone (no foreign keys) so any module can index
 * into it. Never edit once merged.
 */
export function search(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      if (dialect === 'postgres') {
        await db.schema
          .createTable('search_doc')
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'integer', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          // Stored rather than an expression index: phrase queries recheck positions on every candidate
          // row, and reading a stored tsvector is far cheaper than re-parsing the body.
          .addColumn('body_tsv', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, body)`).stored())
          .addPrimaryKeyConstraint('search_doc_pk', ['entity_type', 'entity_id'])
          .execute();
        await db.schema.createIndex('search_doc_tsv_idx').on('search_doc').using('gin').column('body_tsv').execute();
        return;
      }

      // The FTS index points at rows by rowid, and VACUUM may renumber rowids unless they are an
      // INTEGER PRIMARY KEY; so SQLite gets an explicit id, and the natural key becomes a unique constraint.
      await db.schema
        .createTable('search_doc')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addUniqueConstraint('search_doc_key', ['entity_type', 'entity_id'])
        .execute();

      // External content: the body is stored once, in search_doc, and the triggers keep the index in step.
      // Our tokens are letters and digits only, so unicode61's default separators are right and no
      // tokenchars are needed; diacritics are kept because PostgreSQL's 'simple' config keeps them.
      await sql`
        CREATE VIRTUAL TABLE search_fts USING fts5(
          body,
          content = 'search_doc',
          content_rowid = 'id',
          tokenize = 'unicode61 remove_diacritics 0'
        )
      `.execute(db);
      await sql`
        CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN
          INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
        END
      `.execute(db);
      await sql`
        CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN
          INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
        END
      `.execute(db);
      await sql`
        CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN
          INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
          INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
        END
      `.execute(db);
    },
  };
}
