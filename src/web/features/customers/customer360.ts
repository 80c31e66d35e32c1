import type { EChartsOption } from 'echarts';
import type {
  AccountProfile,
  Activity,
  ChoiceFactor,
  Interaction,
  InteractionChannel,
  MergeEvent,
  MonthlyPoint,
  Timeline,
} from '../../../features/accounts/customer.schema.js';

/**
 * The customer 360 page's logic, pure: one timeline from interactions, relationship activities and merges; the
 * revenue/volume and choice-factor charts; what someone else changed while you edited; the interaction form's
 * prefill. Times are Hong Kong's (UTC+8 all year).
 */

// ---------------------------------------------------------------------------------------------------------
// Timeline.

export type TimelineEntry =
  | { kind: 'interaction'; key: string; at: string; item: Interaction }
  | { kind: 'activity'; key: string; at: string; item: Activity }
  | { kind: 'merge'; key: string; at: string; item: MergeEvent };

const hongKongOffset = '+08:00';

/** A date-only activity (YYYY-MM-DD) sits at the start of its Hong Kong day. */
export const activityInstant = (occurredOn: string): string =>
  new Date(`${occurredOn}T00:00:00${hongKongOffset}`).toISOString();

const kindOrder: Record<TimelineEntry['kind'], number> = { merge: 0, interaction: 1, activity: 2 };

/** Newest first; at the same instant a merge comes first, then interactions, then activities; then newest id. */
export function buildTimeline(timeline: Timeline): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...(timeline.interactions ?? []).map((item): TimelineEntry => ({
      kind: 'interaction',
      key: `i${item.id}`,
      at: item.occurredAt,
      item,
    })),
    ...(timeline.activities ?? []).map((item): TimelineEntry => ({
      kind: 'activity',
      key: `a${item.id}`,
      at: activityInstant(item.occurredOn),
      item,
    })),
    ...timeline.merges.map((item): TimelineEntry => ({ kind: 'merge', key: `m${item.id}`, at: item.mergedAt, item })),
  ];
  return entries.sort(
    (x, y) => Date.parse(y.at) - Date.parse(x.at) || kindOrder[x.kind] - kindOrder[y.kind] || y.item.id - x.item.id,
  );
}

/** Consecutive entries of one Hong Kong calendar month (YYYY-MM), in the timeline's order. */
export function groupByMonth(entries: readonly TimelineEntry[]): { month: string; entries: TimelineEntry[] }[] {
  const groups: { month: string; entries: TimelineEntry[] }[] = [];
  for (const entry of entries) {
    const month = hongKongParts(new Date(entry.at)).slice(0, 7);
    const last = groups.at(-1);
    if (last && last.month === month) last.entries.push(entry);
    else groups.push({ month, entries: [entry] });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------------
// Interaction form.

/** "YYYY-MM-DDTHH:mm" of an instant in Hong Kong (the value of a datetime-local input). */
export function hongKongParts(instant: Date): string {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16);
}

/** A datetime-local value read as Hong Kong time → ISO 8601 with the offset, for the API. Null when invalid. */
export function fromHongKongLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const date = new Date(`${value}:00${hongKongOffset}`);
  return Number.isNaN(date.getTime()) ? null : `${value}:00${hongKongOffset}`;
}

export const interactionChannels = [
  'phone',
  'email',
  'visit',
  'meeting',
  'whatsapp',
  'wechat',
  'event',
] as const satisfies readonly InteractionChannel[];

export interface InteractionDraft {
  channel: InteractionChannel;
  direction: 'inbound' | 'outbound';
  occurredAt: string;
  subject: string;
  notes: string;
  contactIds: number[];
}

/** Now (to the minute, Hong Kong time) and the channel last used, or phone: one more click saves it. */
export function interactionPrefill(now: Date, lastChannel: string | null): InteractionDraft {
  const channel = interactionChannels.find((item) => item === lastChannel) ?? 'phone';
  return { channel, direction: 'outbound', occurredAt: hongKongParts(now), subject: '', notes: '', contactIds: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Editing: the fields of a form, what changed, and what someone else changed meanwhile.

export type EditableField = 'code' | 'nameEn' | 'nameZh' | 'kind' | 'industry' | 'status' | 'source' | 'tags' | 'needs';
export const editableFields: readonly EditableField[] = [
  'code',
  'nameEn',
  'nameZh',
  'kind',
  'industry',
  'status',
  'source',
  'tags',
  'needs',
];

export type AccountDraft = Pick<AccountProfile, EditableField>;

export const draftOf = (account: AccountProfile): AccountDraft => ({
  code: account.code,
  nameEn: account.nameEn,
  nameZh: account.nameZh,
  kind: account.kind,
  industry: account.industry,
  status: account.status,
  source: account.source,
  tags: [...account.tags],
  needs: {
    servicesUsed: [...account.needs.servicesUsed],
    requirements: account.needs.requirements,
    choiceFactors: account.needs.choiceFactors.map((factor) => ({ ...factor })),
  },
});

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${key}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const blank = (value: string | null): string | null => (value === null || value.trim() === '' ? null : value.trim());

/** A draft as the API would store it: trimmed, empty text as null. */
export function normaliseDraft(draft: AccountDraft): AccountDraft {
  return {
    ...draft,
    code: draft.code.trim(),
    nameEn: draft.nameEn.trim(),
    nameZh: blank(draft.nameZh),
    source: blank(draft.source),
    tags: [...new Set(draft.tags.map((tag) => tag.trim()).filter(Boolean))],
    needs: {
      servicesUsed: [...new Set(draft.needs.servicesUsed.map((item) => item.trim()).filter(Boolean))],
      requirements: blank(draft.needs.requirements),
      choiceFactors: draft.needs.choiceFactors.filter((factor) => factor.factor.trim() !== ''),
    },
  };
}

/** The fields of `draft` that differ from `base`: what an edit sends (only what the user changed). */
export function editedFields(base: AccountDraft, draft: AccountDraft): Partial<AccountDraft> {
  const normalised = normaliseDraft(draft);
  const changes: Partial<AccountDraft> = {};
  for (const field of editableFields) {
    if (stable(normalised[field]) !== stable(base[field])) {
      (changes as Record<string, unknown>)[field] = normalised[field];
    }
  }
  return changes;
}

/**
 * "Keep my changes": the fields the user changed keep the user's value, every other field takes the stored one, so
 * saving again overwrites only what the user meant to change (a three-way merge on the form's fields).
 */
export function rebaseDraft(base: AccountDraft, draft: AccountDraft, current: AccountDraft): AccountDraft {
  const edited = editedFields(base, draft);
  const next = { ...current } as Record<EditableField, unknown>;
  for (const field of editableFields) {
    if (field in edited) next[field] = (normaliseDraft(draft) as Record<EditableField, unknown>)[field];
  }
  return next as AccountDraft;
}

export interface FieldChangeView {
  field: EditableField;
  before: unknown;
  after: unknown;
}

/** What someone else changed between the copy the form was opened on and the stored account (a 409's `current`). */
export function changedSince(base: AccountDraft, current: Partial<AccountProfile>): FieldChangeView[] {
  return editableFields
    .filter((field) => field in current && stable(current[field]) !== stable(base[field]))
    .map((field) => ({ field, before: base[field], after: current[field] }));
}

// ---------------------------------------------------------------------------------------------------------
// Charts.

export interface RevenueChartText {
  revenue: string;
  volume: string | null;
  month: (month: string) => string;
  money: (value: number) => string;
  number: (value: number) => string;
}

/** Monthly revenue as bars and, for freight, volume as a line on its own axis. */
export function revenueChartOption(points: readonly MonthlyPoint[], text: RevenueChartText): EChartsOption {
  const withVolume = text.volume !== null && points.some((point) => point.volume !== null);
  return {
    animation: false,
    grid: { left: 8, right: withVolume ? 8 : 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, data: withVolume ? [text.revenue, text.volume ?? ''] : [text.revenue] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      data: points.map((point) => text.month(point.month)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: [
      // The legend names both series; axis names would be cut off at the chart's edges.
      { type: 'value', axisLabel: { formatter: (value: number) => text.number(value) } },
      ...(withVolume ? [{ type: 'value' as const, splitLine: { show: false } }] : []),
    ],
    series: [
      {
        name: text.revenue,
        type: 'bar',
        data: points.map((point) => Number(point.revenue)),
        itemStyle: { color: '#0ca678' },
        tooltip: { valueFormatter: (value) => text.money(Number(value)) },
      },
      ...(withVolume
        ? [
            {
              name: text.volume ?? '',
              type: 'line' as const,
              yAxisIndex: 1,
              data: points.map((point) => Number(point.volume ?? 0)),
              itemStyle: { color: '#1c7ed6' },
              symbolSize: 6,
              tooltip: { valueFormatter: (value: unknown) => text.number(Number(value)) },
            },
          ]
        : []),
    ],
  };
}

export interface FactorChartText {
  importance: string;
  performance: string;
  factor: (factor: string) => string;
}

/** Each choice factor's importance to the customer against our performance (1–5), the biggest gap first. */
export function choiceFactorOption(factors: readonly ChoiceFactor[], text: FactorChartText): EChartsOption {
  const sorted = [...factors].sort(
    (a, b) => b.importance - b.performance - (a.importance - a.performance) || b.importance - a.importance,
  );
  // Horizontal bars read top-down: ECharts draws the first category at the bottom, so reverse.
  const rows = sorted.reverse();
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, data: [text.importance, text.performance] },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', min: 0, max: 5, interval: 1 },
    yAxis: { type: 'category', data: rows.map((row) => text.factor(row.factor)) },
    series: [
      { name: text.importance, type: 'bar', data: rows.map((row) => row.importance), itemStyle: { color: '#868e96' } },
      {
        name: text.performance,
        type: 'bar',
        data: rows.map((row) => row.performance),
        itemStyle: { color: '#0ca678' },
      },
    ],
  };
}

/** The gaps worth acting on: importance above our performance, the largest first. */
export function performanceGaps(factors: readonly ChoiceFactor[]): (ChoiceFactor & { gap: number })[] {
  return factors
    .map((factor) => ({ ...factor, gap: factor.importance - factor.performance }))
    .filter((factor) => factor.gap > 0)
    .sort((a, b) => b.gap - a.gap || b.importance - a.importance);
}
