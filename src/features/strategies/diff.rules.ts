import type { DocumentChange } from './strategy.schema.js';

/**
 * A structured diff of two strategy versions, for the side-by-side comparison: every leaf that was added, removed
 * or changed, with its path. Target segments are matched by segment id (not by position), so re-prioritising shows
 * as a move and the rest of the target compares field by field. Lists of plain values compare as a whole.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

function diffArrays(path: string, before: Json[], after: Json[], changes: DocumentChange[]): void {
  if (
    path.endsWith('targets') &&
    [...before, ...after].every((item) => isObject(item) && typeof item.segmentId === 'number')
  ) {
    const key = (item: Json) => (item as { segmentId: number }).segmentId;
    const oldIndex = new Map(before.map((item, index) => [key(item), index]));
    const newIndex = new Map(after.map((item, index) => [key(item), index]));
    after.forEach((item, index) => {
      const id = key(item);
      const at = `${path}[segment ${id}]`;
      const previous = oldIndex.get(id);
      if (previous === undefined) {
        changes.push({ path: at, change: 'added', after: item });
        return;
      }
      if (previous !== index)
        changes.push({ path: `${at}.priority`, change: 'moved', before: previous + 1, after: index + 1 });
      diffValue(at, before[previous] ?? null, item, changes);
    });
    for (const item of before) {
      if (!newIndex.has(key(item)))
        changes.push({ path: `${path}[segment ${key(item)}]`, change: 'removed', before: item });
    }
    return;
  }
  if ([...before, ...after].every((item) => !isObject(item) && !Array.isArray(item))) {
    changes.push({ path, change: 'changed', before, after });
    return;
  }
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index += 1) {
    const at = `${path}[${index}]`;
    if (index >= before.length) changes.push({ path: at, change: 'added', after: after[index] ?? null });
    else if (index >= after.length) changes.push({ path: at, change: 'removed', before: before[index] ?? null });
    else diffValue(at, before[index] ?? null, after[index] ?? null, changes);
  }
}

function diffValue(path: string, before: Json, after: Json, changes: DocumentChange[]): void {
  if (sameValue(before, after)) return;
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
    for (const key of keys) {
      const inBefore = key in before && before[key] !== undefined;
      const inAfter = key in after && after[key] !== undefined;
      if (!inBefore && inAfter) changes.push({ path: join(path, key), change: 'added', after: after[key] ?? null });
      else if (inBefore && !inAfter)
        changes.push({ path: join(path, key), change: 'removed', before: before[key] ?? null });
      else diffValue(join(path, key), before[key] ?? null, after[key] ?? null, changes);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(path, before, after, changes);
    return;
  }
  changes.push({ path, change: 'changed', before, after });
}

/** The changes from `before` to `after` (any JSON values; strategy versions as { title, status, document }). */
export function diffDocuments(before: unknown, after: unknown): DocumentChange[] {
  const changes: DocumentChange[] = [];
  diffValue(
    '',
    JSON.parse(JSON.stringify(before ?? null)) as Json,
    JSON.parse(JSON.stringify(after ?? null)) as Json,
    changes,
  );
  return changes;
}

export function summariseChanges(changes: readonly DocumentChange[]): Record<DocumentChange['change'], number> {
  const summary = { added: 0, removed: 0, changed: 0, moved: 0 };
  for (const change of changes) summary[change.change] += 1;
  return summary;
}
