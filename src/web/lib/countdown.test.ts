import { describe, expect, it } from 'vitest';
import { setupI18n } from '../i18n/index.js';
import { countdownText, remaining } from './countdown.js';

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
