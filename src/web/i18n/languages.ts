/**
 * The languages the web app speaks, and how one is chosen: the remembered choice first, then the
 * browser's preference (any Chinese except Simplified → Traditional), else English. Pure, so tested.
 */
export const languages = ['en', 'zh-Hant'] as const;
export type Language = (typeof languages)[number];

export const defaultLanguage: Language = 'en';
export const languageStorageKey = 'rapport.language';

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (languages as readonly string[]).includes(value);

/** The `<html lang>` value: Hong Kong usage of Traditional Chinese, so the browser picks HK glyphs. */
export const htmlLang = (language: Language): string => (language === 'zh-Hant' ? 'zh-Hant-HK' : 'en');

/** Maps one BCP 47 tag from the browser to a language we have, or null. */
export function matchBrowserLanguage(tag: string): Language | null {
  const lower = tag.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower === 'zh' || lower.startsWith('zh-')) {
    const simplified = lower.includes('hans') || lower === 'zh-cn' || lower === 'zh-sg';
    return simplified ? null : 'zh-Hant';
  }
  return null;
}

export function chooseLanguage(stored: string | null, browserTags: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of browserTags) {
    const match = matchBrowserLanguage(tag);
    if (match) return match;
  }
  return defaultLanguage;
}
