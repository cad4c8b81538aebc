import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, login, startTestApp, type TestApp } from '../support/harness.js';

describe('working-day calendar over HTTP', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t);
  });
  afterAll(() => t.close());

  const deadline = async (from: string, q: string, c = admin) => (await c.get(`/api/v1/calendar/deadline?from=${encodeURIComponent(from)}&${q}`)).json();

  it.each([
    ['2026-09-30T10:00:00+08:00', '2026-10-08 17:30', 'skips the National Day week'],
    ['2026-10-09T09:00:00+08:00', '2026-10-10 17:30', 'lands on a make-up Saturday'],
    ['2026-02-13T15:00:00+08:00', '2026-02-14 17:30', 'counts the Saturday before the Spring Festival as a working day'],
    ['2026-02-14T11:00:00+08:00', '2026-02-24 17:30', 'skips the Spring Festival'],
  ])('issued %s + 1 working day → %s (%s)', async (from, local, _why) => {
    const r = await deadline(from, 'workingDays=1');
    expect(r.local).toBe(local);
    expect(r.flags).toEqual([]);
  });

  it('explains the deadline in the reader language', async () => {
    const zh = await deadline('2026-09-30T10:00:00+08:00', 'workingDays=1');
    expect(zh.deadline).toBe('2026-10-08T09:30:00.000Z');
    expect(zh.explanation.join('；')).toContain('跳过 10月1日–10月7日 国庆节；10月8日 为第1个工作日');
    const en = (
      await admin.request('GET', `/api/v1/calendar/deadline?from=${encodeURIComponent('2026-09-30T10:00:00+08:00')}&workingDays=1`, undefined, {
        'accept-language': 'en',
      })
    ).json();
    expect(en.explanation.join(' ')).toMatch(/Oct 8 is working day 1/);
  });

  it('computes natural-hour deadlines', async () => {
    const r = await deadline('2026-09-30T10:00:00+08:00', 'hours=24');
    expect(r.deadline).toBe('2026-10-01T02:00:00.000Z');
  });

  it('computes 2027 from weekends only and flags the missing official arrangement', async () => {
    const r = await deadline('2027-01-29T10:00:00+08:00', 'workingDays=1');
    expect(r.local).toBe('2027-02-01 17:30');
    expect(r.flags).toEqual([expect.objectContaining({ code: 'NO_OFFICIAL_DATA', year: 2027 })]);
    const year = (await admin.get('/api/v1/calendar/years/2027')).json();
    expect(year.hasOfficialData).toBe(false);
    expect(year.warnings[0]).toContain('2027');
  });

  it('asks for exactly one of workingDays or hours', async () => {
    const res = await admin.get(`/api/v1/calendar/deadline?from=${encodeURIComponent('2026-09-30T10:00:00+08:00')}`);
    expect(res.statusCode).toBe(400);
    const bad = await admin.get('/api/v1/calendar/deadline?from=yesterday&workingDays=1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('query.from');
  });

  it('applies the organization overrides (an extra day off, an extra working day) and records them', async () => {
    expect((await admin.put('/api/v1/calendar/overrides', { date: '2026-10-08', kind: 'holiday', name: '厂庆' })).statusCode).toBe(200);
    expect((await deadline('2026-09-30T10:00:00+08:00', 'workingDays=1')).local).toBe('2026-10-09 17:30');
    expect((await admin.put('/api/v1/calendar/overrides', { date: '2026-10-04', kind: 'workday', name: '抢修加班' })).statusCode).toBe(200);
    expect((await deadline('2026-09-30T10:00:00+08:00', 'workingDays=1')).local).toBe('2026-10-04 17:30');
    const year = (await admin.get('/api/v1/calendar/years/2026')).json();
    expect(year.overrides).toEqual([
      { date: '2026-10-04', kind: 'workday', name: '抢修加班' },
      { date: '2026-10-08', kind: 'holiday', name: '厂庆' },
    ]);
    expect((await admin.delete('/api/v1/calendar/overrides/2026-10-04')).statusCode).toBe(200);
    expect((await admin.delete('/api/v1/calendar/overrides/2026-10-08')).statusCode).toBe(200);
    expect((await deadline('2026-09-30T10:00:00+08:00', 'workingDays=1')).local).toBe('2026-10-08 17:30');
    const events = (await admin.get('/api/v1/audit?entityType=calendar_day')).json();
    expect(events.total).toBe(4);
  });

  it('imports a year arrangement, after which the year is no longer flagged', async () => {
    const res = await admin.post('/api/v1/calendar/years', {
      year: 2027,
      source: '国务院办公厅通知（测试数据）',
      days: [
        { date: '2027-02-01', kind: 'holiday', name: '春节' },
        { date: '2027-01-30', kind: 'workday', name: '春节调休' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const r = await deadline('2027-01-29T10:00:00+08:00', 'workingDays=1');
    expect(r.local).toBe('2027-01-30 17:30');
    expect(r.flags).toEqual([]);
    const wrongYear = await admin.post('/api/v1/calendar/years', { year: 2028, source: 'x', days: [{ date: '2027-05-01', kind: 'holiday', name: '劳动节' }] });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().error.details[0].path).toBe('days.0.date');
  });

  it('moves the end of the working day when the policy changes', async () => {
    expect((await admin.put('/api/v1/calendar/policy', { workdayStart: '08:00', workdayEnd: '18:00' })).statusCode).toBe(200);
    expect((await deadline('2026-09-30T10:00:00+08:00', 'workingDays=1')).local).toBe('2026-10-08 18:00');
    expect((await admin.put('/api/v1/calendar/policy', { workdayStart: '18:00', workdayEnd: '08:00' })).statusCode).toBe(400);
    await admin.put('/api/v1/calendar/policy', { workdayStart: '08:30', workdayEnd: '17:30' });
  });
});
