import type { Segment } from '../../../features/segments/segment.schema.js';
import type {
  CadenceItem,
  Kpi,
  StrategyCreate,
  StrategyDocument,
  StrategyIndustry,
  StrategyStatus,
  TargetPlan,
} from '../../../features/strategies/strategy.schema.js';

/** Pure helpers of the strategies pages: the builder's form state ⇄ the API's document, badges, priorities. */

export const statusColors: Readonly<Record<StrategyStatus, string>> = {
  draft: 'gray',
  in_review: 'yellow',
  approved: 'teal',
  retired: 'dark',
};

/** The builder starts from the A-class and at-risk segments (the standards' first targets), in that order. */
export function prefilledTargets(segments: readonly Segment[]): number[] {
  const live = segments.filter((segment) => segment.archivedAt === null);
  const pick = (pattern: RegExp) =>
    live.filter((segment) => pattern.test(segment.templateKey ?? '')).map((segment) => segment.id);
  return [...new Set([...pick(/a_class/), ...pick(/at_risk/)])];
}

/** Moves one id up (-1) or down (+1) in the priority order; out-of-range moves change nothing. */
export function move<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** Adds or removes a segment from the chosen targets (added ones go last, i.e. lowest priority). */
export const toggle = (ids: readonly number[], id: number): number[] =>
  ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id];

/** A text area's lines as a list (blank lines dropped), and back. */
export const linesToList = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
export const listToLines = (items: readonly string[]): string => items.join('\n');

/** The document with one target's plan changed. */
export function updateTarget(
  document: StrategyDocument,
  segmentId: number,
  change: (target: TargetPlan) => TargetPlan,
): StrategyDocument {
  return {
    ...document,
    targets: document.targets.map((target) => (target.segmentId === segmentId ? change(target) : target)),
  };
}

export const updateCadence = (target: TargetPlan, index: number, patch: Partial<CadenceItem>): TargetPlan => ({
  ...target,
  cadence: target.cadence.map((item, i) => (i === index ? { ...item, ...patch } : item)),
});

export const updateKpi = (target: TargetPlan, index: number, patch: Partial<Kpi>): TargetPlan => ({
  ...target,
  kpis: target.kpis.map((kpi, i) => (i === index ? { ...kpi, ...patch } : kpi)),
});

export const updateProgrammeCost = (target: TargetPlan, index: number, amount: number): TargetPlan => ({
  ...target,
  programmeCosts: target.programmeCosts.map((line, i) => (i === index ? { ...line, amount } : line)),
});

/** The targets in the chosen priority order (the builder's draft may hold them in its own order). */
export function orderTargets(document: StrategyDocument, order: readonly number[]): StrategyDocument {
  const rank = (id: number) => {
    const at = order.indexOf(id);
    return at === -1 ? Number.MAX_SAFE_INTEGER : at;
  };
  return { ...document, targets: [...document.targets].sort((a, b) => rank(a.segmentId) - rank(b.segmentId)) };
}

/** What POST /api/strategies receives from the builder. */
export function toCreatePayload(title: string, industry: StrategyIndustry, document: StrategyDocument): StrategyCreate {
  return { title: title.trim(), industry, document };
}

/** Whether the manager changed the builder's suggestion (its computed budget then applies to the suggestion only). */
export const documentChanged = (a: StrategyDocument, b: StrategyDocument): boolean =>
  JSON.stringify(a) !== JSON.stringify(b);
