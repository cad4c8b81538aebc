import { afterEach, describe, expect, it } from 'vitest';
import type { OccurrencePayload } from '../../src/server/modules/schedule/index.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { type Client, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

/**
 * Issue 9 §6: school terms (学期) configured per organization. The calendar keeps them (PUT replaces
 * them as a whole, refused with the term named when they overlap or run wrong); rules counted in terms
 * preview from them; a series counted in terms waits when they run out and is planned when the next
 * terms are entered.
 */

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const AUTUMN_2026 = { name: '2026 秋季学期', startsOn: '2026-09-01', endsOn: '2027-01-22' };
const SPRING_2027 = { name: '2027 春季学期', startsOn: '2027-02-22', endsOn: '2027-07-02' };

async function setup(at = '2026-08-20T00:00:00.000Z') {
  const clock = new ManualClock(new Date(at));
  t = await startTestApp({ clock });
  const admin = await login(t);
  return { clock, admin, app: t };
}

const putTerms = (c: Client, terms: unknown[], lang?: 'en') =>
  c.request('PUT', '/api/v1/calendar/terms', { terms }, lang ? { 'accept-language': 'en' } : undefined);

describe('school terms in the calendar', () => {
  it('are replaced as a whole, audited, and read back in order', async () => {
    const { admin, app } = await setup();
    expect((await admin.get('/api/v1/calendar/terms')).json()).toEqual({ terms: [] });
    const r = await putTerms(admin, [SPRING_2027, AUTUMN_2026]);
    expect(r.statusCode).toBe(200);
    expect((await admin.get('/api/v1/calendar/terms')).json()).toEqual({ terms: [AUTUMN_2026, SPRING_2027] });
    const audit = await app.services.db.kysely.selectFrom('audit_event').select(['action', 'after_json']).where('action', '=', 'calendar.terms_set').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.after_json ?? 'null')).toEqual({ terms: [AUTUMN_2026, SPRING_2027] });
  });

  it('refuses overlapping, reversed or year-long terms naming the term and field, in zh-CN and English, and changes nothing', async () => {
    const { admin } = await setup();
    expect((await putTerms(admin, [AUTUMN_2026])).statusCode).toBe(200);
    const overlap = await putTerms(admin, [AUTUMN_2026, { ...SPRING_2027, startsOn: '2027-01-20' }]);
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().error.details).toEqual([{ path: 'terms.1.startsOn', message: expect.stringContaining('重叠') }]);
    const reversed = await putTerms(admin, [{ ...SPRING_2027, endsOn: '2027-02-01' }], 'en');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.details).toEqual([{ path: 'terms.0.endsOn', message: expect.stringContaining('before the start date') }]);
    const long = await putTerms(admin, [{ name: '全年', startsOn: '2027-01-01', endsOn: '2027-12-31' }]);
    expect(long.json().error.details[0]).toEqual({ path: 'terms.0.endsOn', message: expect.stringContaining('240') });
    const badDate = await putTerms(admin, [{ name: 'x', startsOn: '2027-02-30', endsOn: '2027-03-01' }]);
    expect(badDate.statusCode).toBe(400);
    expect(JSON.stringify(badDate.json())).toContain('terms.0.startsOn');
    expect((await admin.get('/api/v1/calendar/terms')).json()).toEqual({ terms: [AUTUMN_2026] });
  });

  it('are set only with calendar.manage over the organization: a staff member is refused, and may read them', async () => {
    const { admin, app } = await setup();
    const root = await rootId(app);
    const unit = (await admin.post('/api/v1/units', { parentId: root, code: 'XX', name: '教务处', typeCode: 'department' })).json().id as number;
    await createUser(app, admin, { unitId: unit, role: 'staff', username: 'teacher' });
    const teacher = await login(app, 'teacher', 'Real12345x');
    expect((await teacher.get('/api/v1/calendar/terms')).statusCode).toBe(200);
    expect((await putTerms(teacher, [AUTUMN_2026])).statusCode).toBe(403);
    expect((await admin.get('/api/v1/calendar/terms')).json()).toEqual({ terms: [] });
  });

  it('feed the preview: 每学期初 from the terms, and NO_TERMS for a year none touches', async () => {
    const { admin } = await setup();
    await putTerms(admin, [AUTUMN_2026]);
    const rule = { freq: 'termly', anchor: 'start', start: '2026-08-01', time: '15:00', nonWorkingDay: 'next' };
    const body = (await admin.post('/api/v1/schedules/preview', { rule, from: '2026-08-01', to: '2028-07-31' })).json();
    expect(body.occurrences.map((o: { date: string }) => o.date)).toEqual(['2026-09-01']);
    expect(body.flags.map((f: { code: string; year: number }) => `${f.code} ${f.year}`)).toEqual([
      'NO_OFFICIAL_DATA 2027',
      'NO_OFFICIAL_DATA 2028',
      'NO_TERMS 2028',
    ]);
  });
});

describe('a series counted in terms', () => {
  it('waits when the terms run out (not ended, nothing pending) and is planned when the next term is entered', async () => {
    const { admin, clock, app } = await setup('2026-08-20T00:00:00.000Z');
    const jobs = app.services.jobs;
    const seen: string[] = [];
    jobs.register({
      kind: 'test.parents_meeting',
      mode: 'transaction',
      async run(job) {
        seen.push((job.payload as OccurrencePayload).occurrence.date);
        return undefined;
      },
    });
    await putTerms(admin, [AUTUMN_2026]);
    const rule = { freq: 'termly' as const, anchor: 'start' as const, start: '2026-08-01', time: '15:00', nonWorkingDay: 'next' as const };
    const { seriesId, first } = await app.services.db.kysely
      .transaction()
      .execute((tx) => jobs.createSeries(tx, { kind: 'test.parents_meeting', key: 'class-1', rule }));
    expect(first).toBe('2026-09-01T07:00:00.000Z');
    clock.set('2026-09-01T08:00:00.000Z');
    await jobs.runDue();
    expect(seen).toEqual(['2026-09-01']);
    const office = await login(app);
    const series = () => app.services.db.kysely.selectFrom('schedule_series').select('ended_at').where('id', '=', seriesId).executeTakeFirstOrThrow();
    const pending = () =>
      app.services.db.kysely.selectFrom('job').select(['key', 'due_at']).where('series_id', '=', seriesId).where('state', '=', 'pending').execute();
    // No term after this one yet: the series waits instead of ending.
    expect((await series()).ended_at).toBeNull();
    expect(await pending()).toEqual([]);
    // The office enters next spring's term: the meeting is planned in the same transaction.
    expect((await putTerms(office, [AUTUMN_2026, SPRING_2027])).statusCode).toBe(200);
    expect(await pending()).toEqual([{ key: `${seriesId}@2027-02-22`, due_at: '2027-02-22T07:00:00.000Z' }]);
    // Saving the same terms again plans nothing twice.
    await putTerms(office, [AUTUMN_2026, SPRING_2027]);
    expect(await pending()).toHaveLength(1);
    clock.set('2027-02-22T08:00:00.000Z');
    await jobs.runDue();
    expect(seen).toEqual(['2026-09-01', '2027-02-22']);
  });

  it('ends once its `until` has passed, terms or not; before that it waits', async () => {
    const { admin, clock, app } = await setup('2026-08-20T00:00:00.000Z');
    const jobs = app.services.jobs;
    jobs.register({ kind: 'test.check', mode: 'transaction', run: async () => undefined });
    await putTerms(admin, [AUTUMN_2026]);
    const rule = { freq: 'window' as const, period: 'term' as const, atLeast: 1, start: '2026-08-01', until: '2027-01-31', time: '17:00' };
    const { seriesId } = await app.services.db.kysely.transaction().execute((tx) => jobs.createSeries(tx, { kind: 'test.check', key: 'inspection', rule }));
    const endedAt = async () =>
      (await app.services.db.kysely.selectFrom('schedule_series').select('ended_at').where('id', '=', seriesId).executeTakeFirstOrThrow()).ended_at;
    // Due on the term's last day (Friday 22 January); a term ending by 31 January could still be entered.
    clock.set('2027-01-23T00:00:00.000Z');
    await jobs.runDue();
    expect(await endedAt()).toBeNull();
    // Entering terms on 1 February (after `until`) ends it: nothing can come any more.
    clock.set('2027-02-01T00:00:00.000Z');
    expect((await putTerms(await login(app), [AUTUMN_2026, SPRING_2027])).statusCode).toBe(200);
    expect(await endedAt()).toBe('2027-02-01T00:00:00.000Z');
  });
});
