import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, login, startTestApp, type TestApp } from '../support/harness.js';

describe('POST /api/v1/schedules/preview', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t);
  });
  afterAll(() => t.close());

  const monday = { freq: 'weekly', weekdays: [1], start: '2026-09-01', time: '09:00', nonWorkingDay: 'next', deadline: { workingDaysBefore: 1, at: '12:00' } };
  const preview = (body: unknown, lang?: 'en') => admin.request('POST', '/api/v1/schedules/preview', body, lang ? { 'accept-language': 'en' } : undefined);

  it('answers an "at least 2 a month" window, due on the month\'s last working day, with the window it counts', async () => {
    const rule = { freq: 'window', period: 'month', atLeast: 2, start: '2026-09-15', time: '17:00', nonWorkingDay: 'previous' };
    const r = await preview({ rule, from: '2026-09-01', to: '2026-10-31' });
    expect(r.statusCode).toBe(200);
    expect(r.json().occurrences.map((o: { date: string; window: unknown; explanation: string[] }) => [o.date, o.window, o.explanation[0]])).toEqual([
      ['2026-09-30', { from: '2026-09-15', to: '2026-09-30', atLeast: 2 }, '周期 9月15日–9月30日：至少 2 次'],
      ['2026-10-30', { from: '2026-10-01', to: '2026-10-31', atLeast: 2 }, '周期 10月1日–10月31日：至少 2 次'],
    ]);
    const bad = await preview({ rule: { ...rule, atLeast: 0 }, from: '2026-09-01', to: '2026-10-31' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('rule.atLeast');
  });

  it('moves a Monday meeting off 国庆 with the organization calendar and explains it', async () => {
    const r = await preview({ rule: monday, from: '2026-10-01', to: '2026-10-12' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.timeZone).toBe('Asia/Shanghai');
    expect(body.occurrences).toEqual([
      {
        date: '2026-10-08',
        time: '09:00',
        at: '2026-10-08T01:00:00.000Z',
        movedFrom: '2026-10-05',
        deadline: { date: '2026-09-30', time: '12:00', at: '2026-09-30T04:00:00.000Z' },
        explanation: ['10月5日 国庆节 → 顺延至 10月8日', '截止 9月30日 12:00（提前1个工作日）'],
        flags: [],
      },
      {
        date: '2026-10-12',
        time: '09:00',
        at: '2026-10-12T01:00:00.000Z',
        deadline: { date: '2026-10-10', time: '12:00', at: '2026-10-10T04:00:00.000Z' },
        explanation: ['10月12日 周一', '截止 10月10日 12:00（提前1个工作日）'],
        flags: [],
      },
    ]);
    expect(body.flags).toEqual([]);
    const en = (await preview({ rule: monday, from: '2026-10-01', to: '2026-10-08' }, 'en')).json();
    expect(en.occurrences[0].explanation[0]).toBe('Oct 5 国庆节 → moved to Oct 8 (next working day)');
  });

  it('flags a year without official data', async () => {
    const body = (
      await preview({ rule: { freq: 'yearly', month: 1, day: 5, start: '2027-01-01', time: '09:00' }, from: '2027-01-01', to: '2027-12-31' })
    ).json();
    expect(body.flags).toMatchObject([{ code: 'NO_OFFICIAL_DATA', year: 2027 }]);
    expect(body.occurrences[0].flags[0].message).toContain('2027');
  });

  it.each([
    [
      'February 30',
      { rule: { freq: 'yearly', month: 2, day: 30, start: '2026-01-01', time: '09:00' }, from: '2026-01-01', to: '2026-12-31' },
      'rule.day',
      '永远不会',
    ],
    ['a range over two years', { rule: monday, from: '2026-01-01', to: '2028-01-02' }, 'to', '最长两年'],
    ['to before from', { rule: monday, from: '2026-02-01', to: '2026-01-01' }, 'to', '不能早于'],
    ['a bad time', { rule: { ...monday, time: '25:00' }, from: '2026-01-01', to: '2026-02-01' }, 'rule.time', '格式'],
    ['an unknown freq', { rule: { ...monday, freq: 'daily' }, from: '2026-01-01', to: '2026-02-01' }, 'rule', '取值无效'],
  ])('refuses %s naming the field', async (_name, body, path, text) => {
    const r = await preview(body);
    expect(r.statusCode).toBe(400);
    const err = r.json();
    expect(JSON.stringify(err)).toContain(path);
    expect(JSON.stringify(err)).toContain(text);
  });

  it('accepts exactly two years', async () => {
    expect((await preview({ rule: monday, from: '2026-01-01', to: '2028-01-01' })).statusCode).toBe(200);
  });

  it('answers errors in English too', async () => {
    const r = await preview({ rule: { freq: 'yearly', month: 2, day: 30, start: '2026-01-01', time: '09:00' }, from: '2026-01-01', to: '2026-12-31' }, 'en');
    expect(JSON.stringify(r.json())).toContain('rule.day the rule can never occur');
  });
});
