import { entityColumns, openColumnPrefix, type ImportEntity, type Mapping } from './import.schema.js';
import { attributeSynonyms, packAttributeKeys } from './packs.schema.js';

/**
 * Guessing a column mapping from the headers of a file, English or Chinese. Pure.
 * Headers are compared after normalising: NFKC (full-width → half-width), lower case, a trailing
 * "(HKD)" or ":" dropped, and any run of spaces, underscores, hyphens, dots or slashes read as one space.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .trim()
    .replace(/\s*[:：]$/, '')
    .replace(/\s*[([][^)\]]*[)\]]$/, '')
    .replace(/[\s_\-./#]+/g, ' ')
    .trim();
}

const synonymIndex = new Map<ImportEntity, Map<string, string>>();

function indexFor(entity: ImportEntity): Map<string, string> {
  let index = synonymIndex.get(entity);
  if (!index) {
    index = new Map();
    for (const column of entityColumns[entity]) {
      index.set(normaliseHeader(column.name), column.name);
      for (const synonym of column.synonyms) {
        const key = normaliseHeader(synonym);
        if (!index.has(key)) index.set(key, column.name);
      }
    }
    synonymIndex.set(entity, index);
  }
  return index;
}

/** A defined custom field as header guessing sees it: a header equal to its key or either label maps to it. */
export interface CustomFieldLabel {
  key: string;
  labelEn: string;
  labelZh: string | null;
}

/**
 * The canonical column a header stands for, or null. `custom.x` / `attributes.x` headers are kept as they are;
 * other headers are tried against the canonical columns first, then against the entity's defined custom fields
 * (key, English or Chinese label, normalised the same way).
 */
export function guessColumn(
  entity: ImportEntity,
  header: string,
  customFields: readonly CustomFieldLabel[] = [],
): string | null {
  const prefix = openColumnPrefix[entity];
  const trimmed = header.trim();
  if (prefix && trimmed.toLowerCase().startsWith(prefix)) {
    const key = trimmed
      .slice(prefix.length)
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    return /^[a-z][a-z0-9_]{0,62}$/.test(key) ? `${prefix}${key}` : null;
  }
  const normalised = normaliseHeader(header);
  const canonical = indexFor(entity).get(normalised);
  if (canonical) return canonical;
  if (entity === 'transactions') return guessAttribute(normalised);
  if (prefix !== 'custom.') return null;
  const field = customFields.find((f) =>
    [f.key, f.labelEn, f.labelZh].some((name) => name !== null && normaliseHeader(name) === normalised),
  );
  return field ? `custom.${field.key}` : null;
}

let attributeIndex: Map<string, string> | null = null;

/** A transactions header (normalised) that names an industry-pack attribute (its key or a synonym) → `attributes.<key>`. */
function guessAttribute(normalised: string): string | null {
  if (!attributeIndex) {
    attributeIndex = new Map();
    for (const key of packAttributeKeys) attributeIndex.set(normaliseHeader(key), key);
    for (const [key, synonyms] of Object.entries(attributeSynonyms)) {
      for (const synonym of synonyms) {
        const header = normaliseHeader(synonym);
        if (!attributeIndex.has(header)) attributeIndex.set(header, key);
      }
    }
  }
  const key = attributeIndex.get(normalised);
  return key ? `attributes.${key}` : null;
}

export interface MappingCheck {
  missingRequired: string[];
  unmappedHeaders: string[];
  unknownTargets: string[];
  duplicateTargets: string[];
}

/** Guesses a mapping: each canonical column (or custom field) is taken by the first header that names it. */
export function guessMapping(
  entity: ImportEntity,
  headers: readonly string[],
  customFields: readonly CustomFieldLabel[] = [],
): Mapping['columns'] {
  const columns: Record<string, string | null> = {};
  const taken = new Set<string>();
  for (const header of headers) {
    if (header.trim() === '' || header in columns) continue;
    const target = guessColumn(entity, header, customFields);
    if (target && !taken.has(target)) {
      columns[header] = target;
      taken.add(target);
    } else {
      columns[header] = null;
    }
  }
  return columns;
}

export const isKnownTarget = (entity: ImportEntity, target: string): boolean => {
  const prefix = openColumnPrefix[entity];
  if (prefix && target.startsWith(prefix)) return /^[a-z][a-z0-9_]{0,62}$/.test(target.slice(prefix.length));
  return entityColumns[entity].some((column) => column.name === target);
};

/** What a mapping lacks or gets wrong for the file's headers. */
export function checkMapping(
  entity: ImportEntity,
  headers: readonly string[],
  columns: Mapping['columns'],
): MappingCheck {
  const targets = new Map<string, number>();
  const unknownTargets: string[] = [];
  const unmappedHeaders: string[] = [];
  for (const header of headers) {
    const target = columns[header];
    if (!target) {
      if (header.trim() !== '') unmappedHeaders.push(header);
      continue;
    }
    if (!isKnownTarget(entity, target)) unknownTargets.push(target);
    targets.set(target, (targets.get(target) ?? 0) + 1);
  }
  const present = new Set(targets.keys());
  const missingRequired = entityColumns[entity]
    .filter((column) => column.required && !present.has(column.name))
    .map((c) => c.name);
  if (entity === 'contacts' && !['name', 'email', 'phone'].some((name) => present.has(name))) {
    missingRequired.push('name|email|phone');
  }
  return {
    missingRequired,
    unmappedHeaders,
    unknownTargets,
    duplicateTargets: [...targets].filter(([, count]) => count > 1).map(([target]) => target),
  };
}
