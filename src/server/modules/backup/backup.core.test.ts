import { describe, expect, it } from 'vitest';
import { backupDue, backupName, backupsToPrune, backupTime } from './backup.core.js';

const at = (iso: string) => new Date(iso);

describe('scheduled backups (issue 8, security 9)', () => {
  it('names a backup by its instant, and reads the instant back', () => {
    const name = backupName(at('2026-12-02T18:30:05.123Z'));
    expect(name).toBe('liaison-backup-20261202T183005123Z');
    expect(backupTime(name)).toEqual(at('2026-12-02T18:30:05.123Z'));
    expect(backupTime('liaison-backup-notes')).toBeUndefined();
    expect(backupTime('something-else')).toBeUndefined();
  });

  it('is due once a day from the policy hour in the organization zone, catching up after downtime', () => {
    // 02:00 in Shanghai is 18:00 UTC of the day before.
    const zone = 'Asia/Shanghai';
    expect(backupDue(at('2026-12-02T17:59:00Z'), zone, 2, [backupName(at('2026-12-01T18:00:30Z'))])).toBe(false);
    expect(backupDue(at('2026-12-02T18:00:00Z'), zone, 2, [backupName(at('2026-12-01T18:00:30Z'))])).toBe(true);
    expect(backupDue(at('2026-12-02T18:05:00Z'), zone, 2, [backupName(at('2026-12-02T18:00:40Z'))])).toBe(false);
    // Down all night: the first check of the morning takes it.
    expect(backupDue(at('2026-12-03T01:00:00Z'), zone, 2, [backupName(at('2026-12-01T18:00:30Z'))])).toBe(true);
    // A directory with no backups yet, and a name that is not a backup.
    expect(backupDue(at('2026-12-03T01:00:00Z'), zone, 2, ['README.txt'])).toBe(true);
  });

  it('keeps the newest N and never touches other names', () => {
    const names = ['notes', backupName(at('2026-12-03T00:00:00Z')), backupName(at('2026-12-01T00:00:00Z')), backupName(at('2026-12-02T00:00:00Z'))];
    expect(backupsToPrune(names, 2)).toEqual([backupName(at('2026-12-01T00:00:00Z'))]);
    expect(backupsToPrune(names, 5)).toEqual([]);
  });
});
