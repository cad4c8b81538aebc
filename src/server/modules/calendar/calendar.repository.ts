import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { CalendarDayRow } from './calendar.core.js';

export function calendarRepository(db: Database) {
  return {
    async days(q: Queryable = db.kysely): Promise<CalendarDayRow[]> {
      const rows = await q.selectFrom('calendar_day').select(['date', 'source', 'kind', 'name']).execute();
      return rows as CalendarDayRow[];
    },
    timeZone: async (q: Queryable = db.kysely) => (await q.selectFrom('organization').select('time_zone').executeTakeFirst())?.time_zone ?? 'Asia/Shanghai',
    years: (q: Queryable = db.kysely) => q.selectFrom('calendar_year').selectAll().orderBy('year').execute(),
    orgOverride: (q: Queryable, date: string) =>
      q.selectFrom('calendar_day').selectAll().where('date', '=', date).where('source', '=', 'org').executeTakeFirst(),
    async upsertOrgOverride(tx: Tx, d: { date: string; kind: string; name: string }, now: string) {
      await tx.deleteFrom('calendar_day').where('date', '=', d.date).where('source', '=', 'org').execute();
      await tx
        .insertInto('calendar_day')
        .values({ ...d, source: 'org', created_at: now })
        .execute();
    },
    deleteOrgOverride: (tx: Tx, date: string) => tx.deleteFrom('calendar_day').where('date', '=', date).where('source', '=', 'org').execute(),
    /** Replaces a year's official arrangement as a whole. */
    async replaceOfficialYear(tx: Tx, year: number, source: string, days: { date: string; kind: string; name: string }[], now: string) {
      await tx.deleteFrom('calendar_day').where('source', '=', 'official').where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`).execute();
      if (days.length)
        await tx
          .insertInto('calendar_day')
          .values(days.map((d) => ({ ...d, source: 'official', created_at: now })))
          .execute();
      await tx.deleteFrom('calendar_year').where('year', '=', year).execute();
      await tx.insertInto('calendar_year').values({ year, source, loaded_at: now }).execute();
    },
    terms: (q: Queryable = db.kysely) =>
      q.selectFrom('calendar_term').select(['name', 'starts_on as startsOn', 'ends_on as endsOn']).orderBy('starts_on').execute(),
    /** Replaces the organization's terms as a whole. */
    async replaceTerms(tx: Tx, terms: readonly { name: string; startsOn: string; endsOn: string }[], now: string) {
      await tx.deleteFrom('calendar_term').execute();
      if (terms.length)
        await tx
          .insertInto('calendar_term')
          .values(terms.map((t) => ({ name: t.name, starts_on: t.startsOn, ends_on: t.endsOn, updated_at: now })))
          .execute();
    },
    officialDaysOf: (q: Queryable, year: number) =>
      q
        .selectFrom('calendar_day')
        .select(['date', 'kind', 'name'])
        .where('source', '=', 'official')
        .where('date', '>=', `${year}-01-01`)
        .where('date', '<=', `${year}-12-31`)
        .orderBy('date')
        .execute(),
  };
}
