import { describe, expect, it } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { countdownText, remaining, urgency } from './countdown.js';

const NOW = Date.parse('2026-03-02T08:00:00Z');
const H = 3600_000;

describe('remaining (the countdown of a deadline)', () => {
  it('counts in the largest whole unit', () => {
    expect(remaining(new Date(NOW + 3 * H + 20 * 60_000), NOW)).toMatchObject({ overdue: false, unit: 'hours', count: 3 });
    expect(remaining(new Date(NOW + 50 * H), NOW)).toMatchObject({ overdue: false, unit: 'days', count: 2 });
    expect(remaining(new Date(NOW + 90_000), NOW)).toMatchObject({ overdue: false, unit: 'minutes', count: 1 });
    expect(remaining(new Date(NOW + 10_000), NOW)).toMatchObject({ unit: 'minutes', count: 1 });
  });

  it('says how long a deadline has been missed', () => {
    expect(remaining(new Date(NOW - 49 * H), NOW)).toMatchObject({ overdue: true, unit: 'days', count: 2 });
    expect(remaining('2026-03-02T07:30:00Z', NOW)).toMatchObject({ overdue: true, unit: 'minutes', count: 30 });
    expect(remaining('not a date', NOW)).toBeNull();
  });

  it('reads "剩 3小时" and "已超期 2天" (and in English)', () => {
    const i18n = setupI18n('zh-CN');
    expect(countdownText(i18n.t, remaining(new Date(NOW + 3 * H), NOW)!)).toBe('剩 3小时');
    expect(countdownText(i18n.t, remaining(new Date(NOW - 2 * 24 * H), NOW)!)).toBe('已超期 2天');
    setupI18n('en');
    expect(countdownText(i18n.t, remaining(new Date(NOW + 3 * H), NOW)!)).toBe('3 h left');
    expect(countdownText(i18n.t, remaining(new Date(NOW - 2 * 24 * H), NOW)!)).toBe('overdue by 2 d');
    setupI18n('zh-CN');
  });
});

describe('urgency (issue 8: red overdue, orange within a working day, never the reverse)', () => {
  const at = (ms: number) => new Date(NOW + ms).toISOString();
  const H = 3600_000;
  it("is overdue once the deadline passed, soon from the server's soonAt, later before", () => {
    expect(urgency(at(-1), at(-25 * H), NOW)).toBe('overdue');
    // 40 hours left, but due within a working day over a weekend: soon.
    expect(urgency(at(40 * H), at(-H), NOW)).toBe('soon');
    expect(urgency(at(3 * H), at(H), NOW)).toBe('later');
    // Without soonAt, 24 hours.
    expect(urgency(at(23 * H), null, NOW)).toBe('soon');
    expect(urgency(at(25 * H), undefined, NOW)).toBe('later');
  });
});
