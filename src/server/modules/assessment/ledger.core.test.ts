import { describe, expect, it } from 'vitest';
import { dismissalEntries } from './assessment.rules.js';
import { formatHundredths, monthHasEnded, monthIsFuture, monthsOf, periodKind, periodOf, quarterOf, toHundredths, totalsBySubject } from './ledger.core.js';

describe('the period of an instant, in the organization’s time zone', () => {
  it.each([
    ['2026-01-31T15:59:59Z', 'Asia/Shanghai', '2026-01'],
    ['2026-01-31T16:00:00Z', 'Asia/Shanghai', '2026-02'], // 00:00 on 1 Feb in Shanghai
    ['2026-12-31T16:30:00Z', 'Asia/Shanghai', '2027-01'],
    ['2026-12-31T16:30:00Z', 'UTC', '2026-12'],
    ['2026-03-01T04:00:00Z', 'America/New_York', '2026-02'],
  ])('%s in %s falls in %s', (instant, zone, period) => {
    expect(periodOf(new Date(instant), zone)).toBe(period);
  });

  it('has ended once the zone’s clock is in a later month, and is in the future before it begins', () => {
    const firstOfMarch = new Date('2026-02-28T16:00:00Z'); // 00:00 on 1 March in Shanghai
    expect(monthHasEnded('2026-02', firstOfMarch, 'Asia/Shanghai')).toBe(true);
    expect(monthHasEnded('2026-02', firstOfMarch, 'UTC')).toBe(false);
    expect(monthHasEnded('2026-03', firstOfMarch, 'Asia/Shanghai')).toBe(false);
    expect(monthIsFuture('2026-04', firstOfMarch, 'Asia/Shanghai')).toBe(true);
    expect(monthIsFuture('2026-03', firstOfMarch, 'Asia/Shanghai')).toBe(false);
  });
});

describe('quarters and years are roll-ups of months', () => {
  it.each([
    ['2026-05', 'month', ['2026-05']],
    ['2026-Q1', 'quarter', ['2026-01', '2026-02', '2026-03']],
    ['2026-Q4', 'quarter', ['2026-10', '2026-11', '2026-12']],
    ['2026-13', null, []],
    ['2026-Q5', null, []],
    ['26', null, []],
  ] as const)('%s is a %s of %j', (period, kind, months) => {
    expect(periodKind(period)).toBe(kind);
    expect(monthsOf(period)).toEqual(months);
  });
  it('a year is its twelve months, each in its quarter', () => {
    const months = monthsOf('2026');
    expect(months).toHaveLength(12);
    expect(months.map(quarterOf)).toEqual(['Q1', 'Q1', 'Q1', 'Q2', 'Q2', 'Q2', 'Q3', 'Q3', 'Q3', 'Q4', 'Q4', 'Q4'].map((q) => `2026-${q}`));
  });
});

describe('exact amounts', () => {
  it.each([
    [200, 20000],
    [0.1 + 0.2, 30],
    [50.5, 5050],
    [1.005, null],
    [0.001, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
  ])('%s yuan is %s fen', (yuan, fen) => {
    expect(toHundredths(yuan)).toBe(fen);
  });
  it('formats fen as yuan with two decimals, signed', () => {
    expect([20000, 5, -1250, 0].map(formatHundredths)).toEqual(['200.00', '0.05', '-12.50', '0.00']);
  });
});

describe('per-subject totals', () => {
  const e = (over: Partial<Parameters<typeof totalsBySubject>[0][number]>) => ({
    subjectKind: 'unit' as const,
    subjectId: 1,
    subjectName: '机电队',
    direction: 'debit',
    state: 'final',
    pointsCenti: 0,
    moneyFen: 0,
    ...over,
  });
  it('adds credits and subtracts debits of final entries, shows open ones apart and ignores dropped and withdrawn ones', () => {
    const totals = totalsBySubject([
      e({ direction: 'credit', pointsCenti: 300 }),
      e({ pointsCenti: 125, moneyFen: 10 }),
      e({ state: 'confirmed', pointsCenti: 200 }),
      e({ state: 'appealed', direction: 'credit', moneyFen: 5000 }),
      e({ state: 'withdrawn', pointsCenti: 9900 }),
      e({ state: 'dropped', pointsCenti: 9900 }),
      e({ subjectKind: 'person', subjectId: 1, subjectName: '张三', moneyFen: 20000 }),
      e({ subjectId: 2, subjectName: '通风科', direction: 'credit', pointsCenti: 100 }),
    ]);
    expect(totals.map((t) => [t.subjectKind, t.subjectName, t.pointsCenti, t.moneyFen, t.pendingPointsCenti, t.pendingMoneyFen, t.entries])).toEqual([
      ['unit', '机电队', 175, -10, -200, 5000, 4],
      ['unit', '通风科', 100, 0, 0, 0, 1],
      ['person', '张三', 0, -20000, 0, 0, 1],
    ]);
  });
  it('keeps a unit and a person with the same id apart', () => {
    expect(totalsBySubject([e({}), e({ subjectKind: 'person' })])).toHaveLength(2);
  });
});

describe('a liaison officer’s dismissal (seed 2)', () => {
  it('fans out into the allowance of the officer, the points of the unit and the fine of the unit head, all filed under the unit', () => {
    expect(dismissalEntries({ officerPersonId: 7, unitId: 3, unitHeadPersonId: 9 })).toEqual([
      { rule: 'liaison_officer.dismissal.allowance', subject: { kind: 'person', id: 7 }, scopeUnitId: 3 },
      { rule: 'liaison_officer.dismissal.unit', subject: { kind: 'unit', id: 3 }, scopeUnitId: 3 },
      { rule: 'liaison_officer.dismissal.unit_head', subject: { kind: 'person', id: 9 }, scopeUnitId: 3 },
    ]);
  });
});
