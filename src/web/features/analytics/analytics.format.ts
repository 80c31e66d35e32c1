import { businessTimeZone, formatDecimal, localeOf } from '../../ui/format.js';

/**
 * Numbers of the analytics pages in the reader's locale, built on ui/format.ts: money with two decimals (as
 * formatDecimal shows the accounts' revenue), shares as percentages, model figures to a few significant digits.
 * Every helper returns null for a missing or non-finite value, so callers show their "—".
 */
type Maybe = number | null | undefined;

const usable = (value: Maybe): value is number => typeof value === 'number' && Number.isFinite(value);

/** 1234567.5 → "1,234,567.50" (the accounts' revenue format). */
export function formatMoney(value: Maybe, language: string): string | null {
  if (!usable(value)) return null;
  if (Math.abs(value) >= 1e15) return formatNumber(value, language, 0);
  return formatDecimal(value.toFixed(2), language);
}

/** 21921409 → "21.9M" (en) / "2192.1萬" (zh-HK): axis labels and chart cells. */
export function formatCompact(value: Maybe, language: string): string | null {
  if (!usable(value)) return null;
  return new Intl.NumberFormat(localeOf(language), { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function formatNumber(value: Maybe, language: string, maximumFractionDigits = 2): string | null {
  if (!usable(value)) return null;
  return new Intl.NumberFormat(localeOf(language), { maximumFractionDigits }).format(value);
}

/** A share 0…1 as a percentage: 0.8446 → "84.5%". */
export function formatPercent(share: Maybe, language: string, maximumFractionDigits = 1): string | null {
  if (!usable(share)) return null;
  return new Intl.NumberFormat(localeOf(language), { style: 'percent', maximumFractionDigits }).format(share);
}

/** A fitted parameter or standard error to four significant digits: 0.242590012 → "0.2426", 10566.2 → "10,566". */
export function formatSignificant(value: Maybe, language: string, digits = 4): string | null {
  if (!usable(value)) return null;
  if (value !== 0 && (Math.abs(value) >= 1e9 || Math.abs(value) < 1e-4)) return value.toExponential(digits - 1);
  return new Intl.NumberFormat(localeOf(language), { maximumSignificantDigits: digits }).format(value);
}

/** When a run ran: "24 Nov 2026, 10:40" in the business time zone. */
export function formatDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(language), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: businessTimeZone,
  }).format(date);
}
