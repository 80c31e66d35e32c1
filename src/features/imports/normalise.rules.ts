import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** Cell normalisation shared by the import schemas: pure, each returns a value or a message. */
export type Normalised<T> = { ok: true; value: T } | { ok: false; message: string };

const emailPattern = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

/** Trimmed, lower-case, without a mailto: prefix or surrounding angle brackets. */
export function normaliseEmail(input: string): Normalised<string> {
  const text = input
    .trim()
    .replace(/^mailto:/i, '')
    .replace(/^<(.*)>$/, '$1')
    .trim()
    .toLowerCase();
  if (!emailPattern.test(text) || text.length > 254)
    return { ok: false, message: `"${input.trim()}" is not an email address` };
  return { ok: true, value: text };
}

/** E.164 (`+85291234567`); numbers without a country code are read in defaultRegion (Hong Kong). */
export function normalisePhone(input: string, defaultRegion: CountryCode = 'HK'): Normalised<string> {
  const text = input.trim();
  const phone = parsePhoneNumberFromString(text.replace(/^00(?=[1-9])/, '+'), defaultRegion);
  if (!phone || !phone.isValid()) return { ok: false, message: `"${text}" is not a valid phone number` };
  return { ok: true, value: phone.number };
}

const amountPattern = /^-?\d+(\.\d+)?$/;

/**
 * A money amount as a decimal string: thousands separators, currency marks (HK$, US$, HKD, $, ¥) and
 * accounting negatives `(1,234.50)` are accepted; at most 2 decimals are kept by the database (rounded).
 */
export function normaliseDecimal(input: string): Normalised<string> {
  // The usual cell is a plain number already: no rewriting, no copies.
  if (input.length <= 16 && amountPattern.test(input)) return { ok: true, value: input };
  let text = input
    .trim()
    .replace(/^(HK\$|US\$|RMB|HKD|USD|CNY|[$¥£€])\s*/i, '')
    .replace(/\s*(HKD|USD|CNY|RMB)$/i, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (text.endsWith('-')) {
    negative = true;
    text = text.slice(0, -1);
  }
  text = text.replace(/^(HK\$|US\$|[$¥£€])\s*/i, '');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replaceAll(',', '');
  if (!amountPattern.test(text)) return { ok: false, message: `"${input.trim()}" is not a number` };
  if (
    text
      .replace(/^-/, '')
      .split('.')[0]!
      .replace(/^0+(?=\d)/, '').length > 16
  ) {
    return { ok: false, message: `"${input.trim()}" is too large` };
  }
  if (negative) text = text.startsWith('-') ? text.slice(1) : `-${text}`;
  return { ok: true, value: text };
}

/** "sea; air, express" → ["sea", "air", "express"]: separators ; , | 、 and new lines; empties dropped. */
export function splitList(input: string): string[] {
  return input
    .split(/[;,|、\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
