import type { Language } from '../i18n/languages.js';

/**
 * Dates and amounts as a Hong Kong reader expects them. Times are shown in the business time zone
 * (Asia/Hong_Kong, the server's default) so that everyone sees the same calendar day.
 */
export const businessTimeZone = 'Asia/Hong_Kong';

const locales: Record<Language, string> = { en: 'en-HK', 'zh-Hant': 'zh-HK' };

export const localeOf = (language: string): string => locales[language as Language] ?? locales.en;

export function formatDate(iso: string | null, language: string): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: businessTimeZone,
  }).format(date);
}

export function formatCount(count: number, language: string): string {
  return new Intl.NumberFormat(localeOf(language)).format(count);
}

/** A decimal string from the API ("1234567.5") with grouping and two decimals, without going through a float. */
export function formatDecimal(decimal: string, language: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) return decimal;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const grouped = new Intl.NumberFormat(localeOf(language), { useGrouping: true }).format(BigInt(whole));
  const cents = fraction.padEnd(2, '0').slice(0, 2);
  const decimalSeparator =
    new Intl.NumberFormat(localeOf(language)).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  return `${sign}${grouped}${decimalSeparator}${cents}`;
}
