import { sql } from 'kysely';
import type { z } from 'zod';
import type { CalendarOverrideInput, CalendarPolicyInput, CalendarYearImport, SchoolTermsInput } from '../../../contracts/calendar.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError } from '../../platform/http/errors.js';
import type { Lang } from '../../platform/http/messages.js';
import type { Ctx } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { PolicyService } from '../policy/index.js';
import {
  addDays,
  buildCalendar,
  type Calendar,
  dayInfo,
  deadlineAfter,
  deadlineAfterHours,
  describeFlags,
  explain,
  isValidDate,
  localDateTime,
  MAX_TERM_DAYS,
  termsProblems,
} from './calendar.core.js';
import { calendarRepository } from './calendar.repository.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  policy: PolicyService;
  rootUnit: () => Promise<{ id: number }>;
}

const noOfficialData = (year: number, lang: Lang) =>
  lang === 'en'
    ? `${year} has no official holiday arrangement yet: only weekends count. Enter or import it.`
    : `${year} 年尚无官方节假日安排，目前仅按周末计算，请录入或导入当年安排。`;

export function createCalendarService({ db, clock, audit, policy, rootUnit }: Deps) {
  const repo = calendarRepository(db);
  const now = () => clock.now().toISOString();

  // Every case action and every sweep step needs the calendar (a few hundred rows that change a few
  // times a year). Reading and rebuilding it on every call cost five queries and a rebuild per
  // action (issue 4, performance), so the process keeps the last calendar it built. It must still
  // never act on a calendar another process has changed since (stateless processes, issue 3
  // Engineering), so instead of a TTL the cache is keyed by a fingerprint read with ONE cheap query
  // on every call: the time zone, both working-hour policies, and the row count and latest write
  // time of calendar_day and calendar_year. Each change to those tables inserts rows stamped with
  // the time of the change or deletes rows, so the fingerprint moves and every process rebuilds on
  // its next call. Trade-off: still one query per call (about 0.05 ms on SQLite, one round trip on
  // PostgreSQL) instead of none with a TTL, in exchange for no window of staleness; the only change
  // it cannot see is a delete plus an insert that keep the count and carry a timestamp no later
  // than the previous latest one (a writer clock running backwards, or two changes in the same
  // millisecond). Changes made through this service also drop the cache at once.
  let cached: { key: string; cal: Calendar } | null = null;

  async function fingerprint(q: Queryable): Promise<string> {
    const r = await sql<Record<string, unknown>>`select
        (select time_zone from organization) as tz,
        (select count(*) from calendar_day) as days,
        (select max(created_at) from calendar_day) as day_at,
        (select count(*) from calendar_year) as years,
        (select max(loaded_at) from calendar_year) as year_at,
        (select value from policy where key = 'calendar.workdayStart') as ws,
        (select value from policy where key = 'calendar.workdayEnd') as we,
        (select count(*) from calendar_term) as terms,
        (select max(updated_at) from calendar_term) as term_at`.execute(q);
    return JSON.stringify(r.rows[0] ?? null);
  }

  async function load(q: Queryable = db.kysely): Promise<Calendar> {
    const key = await fingerprint(q);
    if (cached?.key === key) return cached.cal;
    const cal = await read(q);
    cached = { key, cal };
    return cal;
  }

  async function read(q: Queryable): Promise<Calendar> {
    const [timeZone, days, years, hours, terms] = await Promise.all([
      repo.timeZone(q),
      repo.days(q),
      repo.years(q),
      policy.getMany(['calendar.workdayStart', 'calendar.workdayEnd'], q),
      repo.terms(q),
    ]);
    return buildCalendar({
      timeZone,
      workdayStart: hours['calendar.workdayStart'],
      workdayEnd: hours['calendar.workdayEnd'],
      days,
      officialYears: years.map((y) => y.year),
      terms,
    });
  }

  /** Run in the transaction that changed the terms: the scheduler plans the series that waited for them. */
  const termsListeners: ((tx: Tx) => Promise<void>)[] = [];

  const rootUnitId = async () => (await rootUnit()).id;

  return {
    load,

    /** Called in the transaction that sets the terms (the composition root wires the scheduler here). */
    onTermsSet(listener: (tx: Tx) => Promise<void>) {
      termsListeners.push(listener);
    },

    async terms() {
      return { terms: await repo.terms() };
    },

    /**
     * Replaces the organization's school terms (ascending, apart, each at most MAX_TERM_DAYS long).
     * A problem names the term (`terms.<i>.startsOn`); nothing is changed then.
     */
    async setTerms(ctx: Ctx, input: z.infer<typeof SchoolTermsInput>) {
      const problems = termsProblems(input.terms);
      if (problems.length)
        throw new AppError(
          'VALIDATION',
          { summary: `terms.${problems[0]?.index}.${problems[0]?.field}` },
          problems.map((p) => ({
            path: `terms.${p.index}.${p.field}`,
            key: p.key === 'too_long' ? 'term_too_long' : p.key === 'overlaps' ? 'term_overlaps' : p.key,
            params: p.key === 'too_long' ? { max: MAX_TERM_DAYS } : ({} as Record<string, number>),
          })),
        );
      const terms = [...input.terms].sort((a, b) => (a.startsOn < b.startsOn ? -1 : 1));
      await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.terms(tx);
        await repo.replaceTerms(tx, terms, now());
        await audit.record(tx, ctx, {
          action: 'calendar.terms_set',
          entityType: 'calendar_term',
          entityId: 'terms',
          unitId: await rootUnitId(),
          before: { terms: before },
          after: { terms },
        });
        cached = null;
        for (const listener of termsListeners) await listener(tx);
      });
      cached = null;
      return { terms };
    },

    async year(ctx: Ctx, year: number) {
      const cal = await load();
      const years = await repo.years();
      const official = years.find((y) => y.year === year);
      const specialDays = [];
      for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) {
        const info = dayInfo(cal, d);
        if (info.reason !== 'weekday' && info.reason !== 'weekend') {
          specialDays.push({ date: d, working: info.working, reason: info.reason, name: info.name ?? null, officialDataMissing: info.officialDataMissing });
        }
      }
      const overrides = (await repo.days())
        .filter((r) => r.source === 'org' && r.date.startsWith(`${year}-`))
        .map((r) => ({ date: r.date, kind: r.kind, name: r.name }))
        .sort((a, b) => a.date.localeCompare(b.date));
      return {
        year,
        hasOfficialData: !!official,
        officialSource: official?.source ?? null,
        policy: { timeZone: cal.timeZone, workdayStart: cal.workdayStart, workdayEnd: cal.workdayEnd },
        specialDays,
        overrides,
        warnings: official ? [] : [noOfficialData(year, ctx.lang)],
      };
    },

    async setOverride(ctx: Ctx, input: z.infer<typeof CalendarOverrideInput>) {
      if (!isValidDate(input.date))
        throw new AppError('VALIDATION', { summary: 'date' }, [{ path: 'date', key: 'invalid_format', params: { format: 'YYYY-MM-DD' } }]);
      await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.orgOverride(tx, input.date);
        await repo.upsertOrgOverride(tx, input, now());
        await audit.record(tx, ctx, {
          action: 'calendar.override_set',
          entityType: 'calendar_day',
          entityId: input.date,
          unitId: await rootUnitId(),
          before: before ? { kind: before.kind, name: before.name } : null,
          after: { kind: input.kind, name: input.name },
        });
      });
      cached = null;
    },

    async removeOverride(ctx: Ctx, date: string) {
      await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.orgOverride(tx, date);
        if (!before) throw new AppError('NOT_FOUND', { what: date });
        await repo.deleteOrgOverride(tx, date);
        await audit.record(tx, ctx, {
          action: 'calendar.override_remove',
          entityType: 'calendar_day',
          entityId: date,
          unitId: await rootUnitId(),
          before: { kind: before.kind, name: before.name },
        });
      });
      cached = null;
    },

    async importYear(ctx: Ctx, input: z.infer<typeof CalendarYearImport>) {
      const bad = input.days.findIndex((d) => !isValidDate(d.date) || !d.date.startsWith(`${input.year}-`));
      if (bad >= 0) throw new AppError('VALIDATION', { summary: `days.${bad}.date` }, [{ path: `days.${bad}.date`, key: 'invalid', params: {} }]);
      const dates = new Set<string>();
      for (const [i, d] of input.days.entries()) {
        if (dates.has(d.date))
          throw new AppError('VALIDATION', { summary: `days.${i}.date` }, [{ path: `days.${i}.date`, key: 'exists', params: { value: d.date } }]);
        dates.add(d.date);
      }
      await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.officialDaysOf(tx, input.year);
        await repo.replaceOfficialYear(tx, input.year, input.source, input.days, now());
        await audit.record(tx, ctx, {
          action: 'calendar.year_import',
          entityType: 'calendar_year',
          entityId: input.year,
          unitId: await rootUnitId(),
          before: before.length ? before : null,
          after: { source: input.source, days: input.days },
        });
      });
      cached = null;
    },

    async setPolicy(ctx: Ctx, input: z.infer<typeof CalendarPolicyInput>) {
      // The pair is checked as the policies' own group (start before end), the same as PUT /policies.
      await db.kysely.transaction().execute(async (tx) => {
        const unitId = await rootUnitId();
        const values = { 'calendar.workdayStart': input.workdayStart, 'calendar.workdayEnd': input.workdayEnd };
        await policy.setMany(tx, ctx, values, unitId, (k) => (k === 'calendar.workdayStart' ? 'workdayStart' : 'workdayEnd'));
      });
      cached = null;
    },

    async deadline(lang: Lang, from: Date, by: { workingDays?: number; hours?: number }) {
      const cal = await load();
      const r = by.workingDays !== undefined ? deadlineAfter(cal, from, by.workingDays) : deadlineAfterHours(cal, from, by.hours ?? 0);
      const local = localDateTime(r.deadline, cal.timeZone);
      const flagTexts = describeFlags(r.flags, lang);
      return {
        deadline: r.deadline.toISOString(),
        local: `${local.date} ${local.time}`,
        explanation: explain(r.steps, lang),
        flags: r.flags.map((f, i) => ({ ...f, message: flagTexts[i] ?? '' })),
      };
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
