import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { readLanguageCookie, setApiLanguage, setLanguageCookie, type UiLang } from '../api.js';
import en from './en.js';
import zhCN from './zh-CN.js';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}

export const LANGUAGES: UiLang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'liaison.lang';

/** The user's last choice (cookie, then local storage), else Chinese. */
export function initialLanguage(): UiLang {
  const fromCookie = readLanguageCookie();
  if (fromCookie) return fromCookie;
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage may be disabled */
  }
  return 'zh-CN';
}

function applySideEffects(lang: UiLang) {
  setApiLanguage(lang);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lang;
    document.title = lang === 'en' ? 'Liaison' : '工作联络';
  }
}

export function currentLang(): UiLang {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Switches the UI language and tells the server (cookie + Accept-Language) to answer in it. */
export async function switchLanguage(lang: UiLang) {
  setLanguageCookie(lang);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  applySideEffects(lang);
  await i18n.changeLanguage(lang);
}

export function setupI18n(lang: UiLang = initialLanguage()) {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: lang,
      fallbackLng: 'zh-CN',
      supportedLngs: LANGUAGES,
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
  } else if (i18n.language !== lang) {
    void i18n.changeLanguage(lang);
  }
  applySideEffects(lang);
  return i18n;
}

export default i18n;
