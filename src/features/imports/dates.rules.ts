/**
 * Dates and times as Hong Kong exports write them. Pure: the business time zone comes in as a parameter.
 *
 * Accepted: ISO 8601 (`2025-12-31`, `2025-12-31T14:30`, `2025-12-31 14:30:00`, with `Z` or `+08:00`),
 * year-first with slashes (`2025/12/31`), day-first (`31/12/2025`, `31-12-2025`, `31.12.2025`, two-digit
 * years → 20yy below 70) or month-first when the mapping says `MDY`, optional time `14:30`, `14:30:15`,
 * `2:30 PM`, and Chinese `2025年12月31日`. A value without an offset is a wall-clock time in the time zone.
 */
export type DateOrder = 'DMY' | 'MDY';

export interface DateOptions {
  /** How to read `01/02/2025`: Hong Kong exports are day-first (DMY), the default. */
  order: DateOrder;
  /** IANA time zone for values without an offset, e.g. Asia/Hong_Kong. */
  timeZone: string;
}

export type DateResult = { ok: true; iso: string } | { ok: false; message: string };

const isoPattern =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const yearFirstPattern = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T]+(.+))?$/;
const slashPattern = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]+(.+))?$/;
const chinesePattern = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(.+))?$/;
const timePattern = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(am|pm|上午|下午)?$/i;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();

function computeOffset(timeZone: string, utcMs: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** Per zone and year: the offset when it is the same all year (Hong Kong since 1979), else null. */
const fixedYears = new Map<string, Map<number, number | null>>();

/** The zone's offset in ms when it is the same all through the year (Hong Kong since 1979), else null. */
function fixedOffsetOfYear(timeZone: string, year: number): number | null {
  let years = fixedYears.get(timeZone);
  if (!years) fixedYears.set(timeZone, (years = new Map<number, number | null>()));
  let fixed = years.get(year);
  if (fixed === undefined) {
    const probes = [0, 3, 6, 9, 11].map((month) =>
      computeOffset(timeZone, Date.UTC(year, month, month === 11 ? 31 : 1, 12)),
    );
    fixed = probes.every((offset) => offset === probes[0]) ? probes[0]! : null;
    years.set(year, fixed);
  }
  return fixed;
}

/** Offset of timeZone from UTC in ms at the instant utcMs. */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const fixed = fixedOffsetOfYear(timeZone, new Date(utcMs).getUTCFullYear());
  if (fixed !== null) return fixed;
  const hourKey = `${timeZone}|${Math.floor(utcMs / 3_600_000)}`;
  const cached = offsetCache.get(hourKey);
  if (cached !== undefined) return cached;
  const offset = computeOffset(timeZone, utcMs);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(hourKey, offset);
  return offset;
}

/** The UTC instant of a wall-clock time in timeZone. */
export function zonedTimeToUtc(wallMs: number, timeZone: string): number {
  let utc = wallMs - zoneOffsetMs(timeZone, wallMs);
  const again = wallMs - zoneOffsetMs(timeZone, utc);
  if (again !== utc) utc = again;
  return utc;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  offset: string | null;
}

function parseTime(text: string | undefined): Pick<Parts, 'hour' | 'minute' | 'second' | 'ms'> | string {
  if (text === undefined || text.trim() === '') return { hour: 0, minute: 0, second: 0, ms: 0 };
  const match = timePattern.exec(text.trim());
  if (!match) return `"${text.trim()}" is not a time (use 14:30 or 2:30 PM)`;
  let hour = Number(match[1]);
  const meridiem = match[5]?.toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return `hour ${hour} is not valid with ${match[5]}`;
    if (meridiem === 'pm' || meridiem === '下午') hour = hour === 12 ? 12 : hour + 12;
    else hour = hour === 12 ? 0 : hour;
  }
  return { hour, minute: Number(match[2]), second: Number(match[3] ?? 0), ms: fraction(match[4]) };
}

const fraction = (digits: string | undefined): number => (digits ? Math.floor(Number(`0.${digits}`) * 1000) : 0);

function checkParts(parts: Parts): string | null {
  if (parts.year < 1900 || parts.year > 2200) return `year ${parts.year} is out of range`;
  if (parts.month < 1 || parts.month > 12) return `month ${parts.month} does not exist`;
  if (parts.day < 1 || parts.day > daysInMonth(parts.year, parts.month)) {
    return `day ${parts.day} does not exist in ${parts.year}-${String(parts.month).padStart(2, '0')}`;
  }
  if (parts.hour > 23 || parts.minute > 59 || parts.second > 59) return 'the time is out of range';
  return null;
}

function toIso(parts: Parts, timeZone: string): string {
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.ms);
  if (parts.offset === null) {
    // One subtraction when the offset is the same all through this year and the years either side (an instant
    // near New Year may fall in the next or last year in UTC); otherwise the full look-up.
    const fixed = fixedOffsetOfYear(timeZone, parts.year);
    const steady =
      fixed !== null &&
      fixedOffsetOfYear(timeZone, parts.year - 1) === fixed &&
      fixedOffsetOfYear(timeZone, parts.year + 1) === fixed;
    return new Date(steady ? wall - fixed : zonedTimeToUtc(wall, timeZone)).toISOString();
  }
  if (parts.offset.toUpperCase() === 'Z') return new Date(wall).toISOString();
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(parts.offset);
  const sign = match?.[1] === '-' ? -1 : 1;
  const minutes = Number(match?.[2] ?? 0) * 60 + Number(match?.[3] ?? 0);
  return new Date(wall - sign * minutes * 60_000).toISOString();
}

/** Parses one cell; the message of a failure names what was wrong, for the error report. */
export function parseDateTime(input: string, options: DateOptions): DateResult {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'is empty' };
  let parts: Parts | null = null;
  let time: string | undefined;
  let match = isoPattern.exec(text);
  if (match) {
    parts = {
      year: Number(match[1]),
      month: Number(match[2]),
      day: Number(match[3]),
      hour: Number(match[4] ?? 0),
      minute: Number(match[5] ?? 0),
      second: Number(match[6] ?? 0),
      ms: fraction(match[7]),
      offset: match[8] ?? null,
    };
  } else if ((match = yearFirstPattern.exec(text) ?? chinesePattern.exec(text))) {
    parts = {
      year: Number(match[1]),
      month: Number(match[2]),
      day: Number(match[3]),
      hour: 0,
      minute: 0,
      second: 0,
      ms: 0,
      offset: null,
    };
    time = match[4];
  } else if ((match = slashPattern.exec(text))) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    let year = Number(match[3]);
    if (match[3]?.length === 2) year += year < 70 ? 2000 : 1900;
    const [day, month] = options.order === 'DMY' ? [first, second] : [second, first];
    parts = { year, month, day, hour: 0, minute: 0, second: 0, ms: 0, offset: null };
    time = match[4];
    if (month > 12 && day <= 12) {
      const other = options.order === 'DMY' ? 'MDY' : 'DMY';
      return {
        ok: false,
        message: `"${text}" has month ${month}: the file looks ${other === 'MDY' ? 'month-first' : 'day-first'}; set dateFormat to ${other} in the mapping`,
      };
    }
  }
  if (!parts) return { ok: false, message: `"${text}" is not a date (use 2025-12-31 or 31/12/2025)` };
  if (time !== undefined) {
    const parsedTime = parseTime(time);
    if (typeof parsedTime === 'string') return { ok: false, message: parsedTime };
    parts = { ...parts, ...parsedTime };
  }
  const problem = checkParts(parts);
  if (problem) return { ok: false, message: problem };
  return { ok: true, iso: toIso(parts, options.timeZone) };
}

/** A calendar date only (no time zone shift), as YYYY-MM-DD. */
export function parseDateOnly(input: string, options: Pick<DateOptions, 'order'>): DateResult {
  const result = parseDateTime(input, { order: options.order, timeZone: 'UTC' });
  return result.ok ? { ok: true, iso: result.iso.slice(0, 10) } : result;
}

export type DetectedOrder = 'DMY' | 'MDY' | 'ambiguous' | 'conflicting' | 'not-slashed';

/**
 * Looks at sample values of a date column: a first number above 12 proves day-first, a second above 12
 * proves month-first; when every value fits both, the order is ambiguous and the mapping must say it.
 */
export function detectDateOrder(samples: readonly string[]): DetectedOrder {
  let dayFirst = false;
  let monthFirst = false;
  let slashed = 0;
  for (const sample of samples) {
    const match = slashPattern.exec(sample.trim());
    if (!match) continue;
    slashed += 1;
    if (Number(match[1]) > 12) dayFirst = true;
    if (Number(match[2]) > 12) monthFirst = true;
  }
  if (slashed === 0) return 'not-slashed';
  if (dayFirst && monthFirst) return 'conflicting';
  if (dayFirst) return 'DMY';
  if (monthFirst) return 'MDY';
  return 'ambiguous';
}
