import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Parts can be persons (issue 9 §2, ADR 0014): the attendees of a meeting, the assignees of an
 * obligation, the people above a reporter in the reporting chain. A person part keeps `unit_id` (the
 * unit the person is reached in, for paths, lists and print) and names its person; only that person
 * holds the part's receiver role. Null: a unit part, as before. Looked up by person for the lists.
 * Never edit once merged.
 */
export function personParts(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('case_part')
        .addColumn('person_id', 'integer', (c) => c.references('person.id'))
        .execute();
      await db.schema.createIndex('case_part_person_idx').on('case_part').columns(['person_id', 'case_id']).execute();
    },
  };
}
