import type { TFunction } from 'i18next';
import type { UiLang } from '../api.js';

// ---- times in the organization's zone (issue 8) ----
// Every time on screen is the organization's wall clock (the zone chosen at setup, /auth/me), so a
// deadline reads the same on every device. When the device's zone is another one, the time says so.

let orgZone: string | null = null;

/** The organization's zone, from /auth/me (queries.ts keeps it current); null: the device's. */
export function setDisplayZone(zone: string | null | undefined): void {
  orgZone = zone || null;
}
export const deviceZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;
export const displayZone = (): string => orgZone ?? deviceZone();

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string, d: Date): Record<string, string> {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'shortOffset',
    });
    formatters.set(zone, f);
  }
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/** "UTC+8", "UTC−5", "UTC+5:30", "UTC" for a zone at an instant. */
export function zoneOffsetLabel(zone: string, d: Date = new Date()): string {
  const name = (partsIn(zone, d).timeZoneName ?? 'GMT').replace(/^GMT/, 'UTC');
  return name === 'UTC+0' || name === 'UTC-0' ? 'UTC' : name;
}

/**
 * "2026-11-26 23:51" in the organization's zone; with " (UTC+8)" after it when the device's zone
 * has another offset at that instant. "—" for nothing, the text itself when it is not a time.
 */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const zone = displayZone();
  const p = partsIn(zone, d);
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''}`;
  const label = zoneOffsetLabel(zone, d);
  return label === zoneOffsetLabel(deviceZone(), d) ? text : `${text} (${label})`;
}

/** Today, "YYYY-MM-DD", in the organization's zone. */
export function todayInZone(now: Date = new Date()): string {
  const p = partsIn(displayZone(), now);
  return `${p.year}-${p.month}-${p.day}`;
}

/** i18next keys built at run time (action names, permissions…): fall back to the raw value. */
export function dynT(t: TFunction, key: string, fallback: string): string {
  return (t as unknown as (k: string, o: { defaultValue: string }) => string)(key, { defaultValue: fallback });
}

export const actionLabel = (t: TFunction, action: string) => dynT(t, `action.${action.replace(/\./g, '_')}`, action);
export const entityLabel = (t: TFunction, type: string) => dynT(t, `entity.${type}`, type);
export const permLabel = (t: TFunction, perm: string) => dynT(t, `perm.${perm}`, perm);
export const fieldLabel = (t: TFunction, field: string) => dynT(t, `field.${field}`, field);

export function localName(item: { nameZh: string; nameEn: string }, lang: UiLang): string {
  return lang === 'en' ? item.nameEn || item.nameZh : item.nameZh || item.nameEn;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Copies text; falls back to a hidden textarea where the async clipboard is not available (plain HTTP). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall back */
  }
  try {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.appendChild(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  } catch {
    return false;
  }
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(zone: string, ms: number): number {
  const p = partsIn(zone, new Date(ms));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * A date-time picker's value read as the organization's wall clock ("2026-09-29 10:40" means 10:40
 * in Asia/Shanghai whatever the device's zone), as an ISO instant. The picker's own zone is ignored.
 */
export function pickerToIso(v: { year(): number; month(): number; date(): number; hour(): number; minute(): number }): string {
  const zone = displayZone();
  const wall = Date.UTC(v.year(), v.month(), v.date(), v.hour(), v.minute());
  let instant = wall - offsetMinutes(zone, wall) * 60_000;
  // Once more at the instant found: right across a daylight-saving change too.
  instant = wall - offsetMinutes(zone, instant) * 60_000;
  return new Date(instant).toISOString();
}

/** The organization's wall clock at `iso`, as "YYYY-MM-DD HH:mm" for a picker to show (dayjs parses it as is). */
export function isoToPickerText(iso: string): string {
  const p = partsIn(displayZone(), new Date(iso));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
