import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type {
  ChoiceFactor,
  DuplicatePair,
  DuplicateReason,
  DuplicateRecord,
  FieldChange,
  MonthlyPoint,
  Needs,
} from './customer.schema.js';

/** Pure logic of the data bank's editing, the 360 page and the duplicates check: no I/O, time comes in. */

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

// ---------------------------------------------------------------------------------------------------------
// Needs profile as stored (accounts.needs jsonb, written by imports and by edits): read tolerantly.

const clampScore = (value: unknown): number | null => {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) return null;
  return Math.min(5, Math.max(1, Math.round(number)));
};

export function readNeeds(stored: unknown): Needs {
  const raw =
    typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : {};
  const servicesUsed = Array.isArray(raw.servicesUsed)
    ? raw.servicesUsed.filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    : [];
  const requirements = typeof raw.requirements === 'string' && raw.requirements.trim() !== '' ? raw.requirements : null;
  const choiceFactors: ChoiceFactor[] = [];
  if (Array.isArray(raw.choiceFactors)) {
    for (const item of raw.choiceFactors as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const factor = (item as Record<string, unknown>).factor;
      const importance = clampScore((item as Record<string, unknown>).importance);
      const performance = clampScore((item as Record<string, unknown>).performance);
      if (typeof factor === 'string' && factor.trim() !== '' && importance !== null && performance !== null) {
        choiceFactors.push({ factor: factor.trim(), importance, performance });
      }
    }
  }
  return { servicesUsed, requirements, choiceFactors };
}

// ---------------------------------------------------------------------------------------------------------
// Optimistic concurrency: which of the fields you sent differ from what is stored now.

/** Order-independent for object keys, so {a, b} and {b, a} compare equal. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const sameValue = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);

/**
 * The fields of `submitted` (a stale edit, without its version) whose value differs from the stored record: what
 * the edit would silently overwrite. Fields the edit does not touch are not conflicts.
 */
export function conflictsOf(submitted: Record<string, unknown>, current: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, yours] of Object.entries(submitted)) {
    if (field === 'version' || yours === undefined) continue;
    if (!sameValue(yours, current[field])) changes.push({ field, yours, current: current[field] ?? null });
  }
  return changes;
}

/** The fields of an edit that actually change the stored record (an edit that changes nothing writes nothing). */
export function changedFields(submitted: Record<string, unknown>, current: Record<string, unknown>): string[] {
  return Object.entries(submitted)
    .filter(([field, value]) => field !== 'version' && value !== undefined && !sameValue(value, current[field]))
    .map(([field]) => field);
}

// ---------------------------------------------------------------------------------------------------------
// Contacts: the same normal forms as the import (emails lower-case, phones E.164 with Hong Kong as default).

const emailPattern = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]{2,}$/;

export function normaliseContactEmail(input: string): Result<string> {
  const text = input
    .trim()
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
  if (!emailPattern.test(text) || text.length > 254)
    return { ok: false, message: `"${input.trim()}" is not an email address` };
  return { ok: true, value: text };
}

export function normaliseContactPhone(input: string): Result<string> {
  const text = input.trim();
  const phone = parsePhoneNumberFromString(text.replace(/^00(?=[1-9])/, '+'), 'HK');
  if (!phone || !phone.isValid()) return { ok: false, message: `"${text}" is not a valid phone number` };
  return { ok: true, value: phone.number };
}

/** Empty text → null; otherwise trimmed. */
export const blankToNull = (value: string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null || value.trim() === '' ? null : value.trim();

// ---------------------------------------------------------------------------------------------------------
// Monthly series: months in the business time zone, gaps filled with zeros.

/** "YYYY-MM" of an instant in a time zone. */
export function monthOf(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(
    instant,
  );
  const year = parts.find((part) => part.type === 'year')?.value ?? '1970';
  const month = parts.find((part) => part.type === 'month')?.value ?? '01';
  return `${year}-${month}`;
}

/** The month `offset` months after "YYYY-MM" (negative: before). */
export function addMonths(month: string, offset: number): string {
  const [year = 1970, number = 1] = month.split('-').map(Number);
  const index = year * 12 + (number - 1) + offset;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to` inclusive, each with its row or zeros. */
export function fillMonths(
  from: string,
  to: string,
  rows: readonly MonthlyPoint[],
  withVolume: boolean,
): MonthlyPoint[] {
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  const out: MonthlyPoint[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) {
    const row = byMonth.get(month);
    out.push({
      month,
      revenue: row?.revenue ?? '0.00',
      transactions: row?.transactions ?? 0,
      volume: withVolume ? (row?.volume ?? '0') : null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Duplicates.

const legalSuffixes =
  /\b(limited|ltd|co|company|corp|corporation|inc|incorporated|llc|plc|group|holdings?|hk|hong kong|the)\b/g;

/** A name for comparing: lower case, no punctuation, no legal suffixes (Ltd, Limited, Co, 有限公司, 公司). */
export function comparableName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/有限公司|股份|公司|集團|\(香港\)|（香港）|香港/g, ' ')
    .replace(/[.,&'’"()（）\-/]/g, ' ')
    .replace(legalSuffixes, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Digits of a name: "Harbour Trading 01" and "Harbour Trading 02" are different companies, however similar. */
export const digitsOf = (name: string): string => name.replace(/\D/g, '');

export interface CandidatePair {
  a: number;
  b: number;
  reason: DuplicateReason;
  /** For a name reason: the two names, re-scored with nameScore (legal suffixes, digits). */
  left?: string;
  right?: string;
}

/**
 * One pair per two records, with every reason found; shared email or phone scores 1, a name its similarity
 * (1 when the names are equal once legal suffixes are dropped). Name reasons below the threshold are dropped.
 * Sorted by score, then by the ids.
 */
export function combinePairs(
  entity: DuplicatePair['entity'],
  candidates: readonly CandidatePair[],
  records: ReadonlyMap<number, DuplicateRecord>,
  threshold: number,
  limit: number,
): DuplicatePair[] {
  const pairs = new Map<string, { a: number; b: number; reasons: DuplicateReason[] }>();
  for (const candidate of candidates) {
    if (candidate.a === candidate.b) continue;
    const [a, b] = candidate.a < candidate.b ? [candidate.a, candidate.b] : [candidate.b, candidate.a];
    let reason = candidate.reason;
    if (reason.kind.startsWith('name')) {
      const raw = reason.similarity ?? 0;
      const similarity =
        candidate.left !== undefined && candidate.right !== undefined
          ? nameScore(raw, candidate.left, candidate.right)
          : raw;
      if (similarity < threshold) continue;
      reason = { ...reason, similarity: Math.round(similarity * 1000) / 1000 };
    }
    const key = `${a}:${b}`;
    const pair = pairs.get(key) ?? { a, b, reasons: [] };
    if (!pair.reasons.some((known) => known.kind === reason.kind)) pair.reasons.push(reason);
    pairs.set(key, pair);
  }
  const out: DuplicatePair[] = [];
  for (const pair of pairs.values()) {
    const a = records.get(pair.a);
    const b = records.get(pair.b);
    if (!a || !b) continue;
    const score = Math.max(
      ...pair.reasons.map((reason) =>
        reason.kind === 'email' || reason.kind === 'phone' ? 1 : (reason.similarity ?? 0),
      ),
    );
    const order = ['email', 'phone', 'name_en', 'name_zh', 'name'];
    const reasons = [...pair.reasons].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind));
    out.push({ entity, a, b, reasons, score: Math.round(score * 1000) / 1000 });
  }
  out.sort((x, y) => y.score - x.score || x.a.id - y.a.id || x.b.id - y.b.id);
  return out.slice(0, limit);
}

/** Similarity of two names as the duplicates check scores it: pg_trgm's, or 1 when equal once normalised. */
export function nameScore(trigramSimilarity: number, left: string, right: string): number {
  if (digitsOf(left) !== digitsOf(right)) return 0;
  const a = comparableName(left);
  const b = comparableName(right);
  if (a !== '' && a === b) return 1;
  return trigramSimilarity;
}

// ---------------------------------------------------------------------------------------------------------
// Merging: what the survivor takes from the merged record (it keeps its own values; empty ones are filled).

export interface MergeableAccount {
  nameZh: string | null;
  source: string | null;
  ownerId: number | null;
  parentId: number | null;
  tags: string[];
  needs: Needs;
  custom: Record<string, unknown>;
}

export function mergeAccountFields(
  survivor: MergeableAccount,
  merged: MergeableAccount,
  survivorId: number,
): Partial<MergeableAccount> {
  const fill: Partial<MergeableAccount> = {};
  if (survivor.nameZh === null && merged.nameZh !== null) fill.nameZh = merged.nameZh;
  if (survivor.source === null && merged.source !== null) fill.source = merged.source;
  if (survivor.ownerId === null && merged.ownerId !== null) fill.ownerId = merged.ownerId;
  if (survivor.parentId === null && merged.parentId !== null && merged.parentId !== survivorId)
    fill.parentId = merged.parentId;
  const tags = [...new Set([...survivor.tags, ...merged.tags])];
  if (tags.length !== survivor.tags.length) fill.tags = tags;
  const services = [...new Set([...survivor.needs.servicesUsed, ...merged.needs.servicesUsed])];
  const needs: Needs = {
    servicesUsed: services,
    requirements: survivor.needs.requirements ?? merged.needs.requirements,
    choiceFactors: survivor.needs.choiceFactors.length > 0 ? survivor.needs.choiceFactors : merged.needs.choiceFactors,
  };
  if (!sameValue(needs, survivor.needs)) fill.needs = needs;
  const custom = { ...merged.custom, ...survivor.custom };
  if (!sameValue(custom, survivor.custom)) fill.custom = custom;
  return fill;
}

export interface MergeableContact {
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  channels: string[];
}

export function mergeContactFields(survivor: MergeableContact, merged: MergeableContact): Partial<MergeableContact> {
  const fill: Partial<MergeableContact> = {};
  for (const key of ['name', 'title', 'email', 'phone', 'language'] as const) {
    if (survivor[key] === null && merged[key] !== null) fill[key] = merged[key];
  }
  const channels = [...new Set([...survivor.channels, ...merged.channels])];
  if (channels.length !== survivor.channels.length) fill.channels = channels;
  return fill;
}
