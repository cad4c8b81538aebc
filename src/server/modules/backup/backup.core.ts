import { addDays, instantAt, localDate } from '../calendar/core.js';

/** A backup is a directory named by the instant it was taken (UTC), so names sort by age. */
const NAME = /^liaison-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/;

export function backupName(at: Date): string {
  return `liaison-backup-${at.toISOString().replace(/[-:.]/g, '')}`;
}

/** When the backup of this name was taken, or undefined for anything else in the directory. */
export function backupTime(name: string): Date | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/**
 * Is a scheduled backup due? The schedule is one backup a day at `hour` o'clock in the
 * organization's zone: due when no backup was taken since the last such moment. A server that was
 * down at that hour catches up at its next check.
 */
export function backupDue(now: Date, timeZone: string, hour: number, existing: readonly string[]): boolean {
  const today = localDate(now, timeZone);
  const time = `${String(hour).padStart(2, '0')}:00`;
  let slot = instantAt(today, time, timeZone);
  if (slot > now) slot = instantAt(addDays(today, -1), time, timeZone);
  return !existing.some((n) => {
    const t = backupTime(n);
    return t !== undefined && t >= slot && t <= now;
  });
}

/** The backups to delete so that the newest `keep` remain (names that are not backups are never touched). */
export function backupsToPrune(existing: readonly string[], keep: number): string[] {
  const backups = existing.filter((n) => backupTime(n) !== undefined).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}
