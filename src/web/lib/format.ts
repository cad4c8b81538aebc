import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { UiLang } from '../api.js';

/** "2026-11-26 23:51" in the browser's zone; "—" for nothing. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = dayjs(iso);
  return d.isValid() ? d.format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm') : iso;
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
