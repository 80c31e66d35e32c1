import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import zhHant from './zh-Hant.json' with { type: 'json' };
import { chooseLanguage, htmlLang, isLanguage, languageStorageKey, type Language } from './languages.js';

export const resources = { en: { translation: en }, 'zh-Hant': { translation: zhHant } } as const;

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    return null; // storage blocked (privacy mode): fall back to the browser's preference
  }
}

function applyLanguage(language: string): void {
  if (!isLanguage(language)) return;
  document.documentElement.lang = htmlLang(language);
  try {
    window.localStorage.setItem(languageStorageKey, language);
  } catch {
    // not remembered, but still switched
  }
}

/** Starts i18next with both resource bundles; the chosen language is remembered and set on <html lang>. */
export async function initI18n(): Promise<typeof i18next> {
  const language = chooseLanguage(readStoredLanguage(), navigator.languages ?? [navigator.language]);
  i18next.on('languageChanged', applyLanguage);
  await i18next.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'zh-Hant'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
  applyLanguage(language);
  return i18next;
}

export const setLanguage = (language: Language): Promise<unknown> => i18next.changeLanguage(language);
