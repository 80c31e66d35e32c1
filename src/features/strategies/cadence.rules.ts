import { addDays, addMonths, nextWorkingDay } from '../segments/index.js';
import { cadenceLabel } from './strategy.rules.js';
import type { CadenceItem, CadenceUnit, ContactKind } from './strategy.schema.js';

/**
 * The cadence engine (requirement D1): an approved strategy's contact cadence becomes due tasks for each member's
 * owner, and members whose churn class is at risk get a remedial call first. Pure and deterministic: the same
 * strategy, members and dates give the same tasks, so scheduling again only adds what is missing.
 *
 * Dates: member m's k-th contact of an item is due at first + k intervals (weeks by days, months and longer by
 * calendar months), first = anchor + (account id mod spread) days so that an owner's contacts are staggered across
 * the interval rather than all on the first day; a Saturday or Sunday moves to the Monday after.
 */
export interface ScheduleMember {
  accountId: number;
  ownerId: number | null;
}

export interface PlannedTask {
  accountId: number;
  ownerId: number | null;
  segmentId: number;
  kind: ContactKind;
  purpose: 'cadence' | 'remedial';
  title: string;
  dueOn: string;
}

const approximateDays: Readonly<Record<CadenceUnit, number>> = { week: 7, month: 30, quarter: 91, year: 365 };
const monthsPer: Readonly<Record<Exclude<CadenceUnit, 'week'>, number>> = { month: 1, quarter: 3, year: 12 };

/** Days over which the first contacts of an item are spread (at most four working weeks). */
export const spreadDays = (item: Pick<CadenceItem, 'every' | 'unit'>): number =>
  Math.min(approximateDays[item.unit] * item.every, 28);

/** The raw (unshifted) due day of contact k. */
function rawDue(first: string, item: Pick<CadenceItem, 'every' | 'unit'>, k: number): string {
  if (item.unit === 'week') return addDays(first, 7 * item.every * k);
  return addMonths(first, monthsPer[item.unit] * item.every * k);
}

export interface CadenceInput {
  /** The strategy's first day. */
  anchor: string;
  /** Tasks due before this day are not created (today, when scheduling later). */
  from: string;
  /** Tasks due on or after this day are not created. */
  until: string;
  segmentId: number;
  segmentName: string;
  cadence: readonly CadenceItem[];
  members: readonly ScheduleMember[];
}

export function scheduleCadence(input: CadenceInput): PlannedTask[] {
  const tasks: PlannedTask[] = [];
  for (const item of input.cadence) {
    const title = `${cadenceLabel(item)} — ${input.segmentName}`;
    const spread = spreadDays(item);
    for (const member of input.members) {
      const first = addDays(input.anchor, member.accountId % spread);
      for (let k = 0; ; k += 1) {
        const raw = rawDue(first, item, k);
        if (raw >= input.until) break;
        const dueOn = nextWorkingDay(raw);
        if (dueOn < input.from || dueOn >= input.until) continue;
        tasks.push({
          accountId: member.accountId,
          ownerId: member.ownerId,
          segmentId: input.segmentId,
          kind: item.kind,
          purpose: 'cadence',
          title,
          dueOn,
        });
      }
    }
  }
  return tasks.sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.accountId - b.accountId));
}

/** Working days after the start within which an at-risk member gets its remedial call. */
export const REMEDIAL_WITHIN_DAYS = 2;

export interface AtRiskMember extends ScheduleMember {
  churnReason: string | null;
}

/** One remedial call per at-risk member, due two days after the start (the Monday after on a weekend). */
export function remedialTasks(start: string, segmentId: number, members: readonly AtRiskMember[]): PlannedTask[] {
  const dueOn = nextWorkingDay(addDays(start, REMEDIAL_WITHIN_DAYS));
  return members.map((member) => ({
    accountId: member.accountId,
    ownerId: member.ownerId,
    segmentId,
    kind: 'call',
    purpose: 'remedial',
    title: `Remedial call — at risk${member.churnReason ? `: ${member.churnReason}` : ''}`.slice(0, 300),
    dueOn,
  }));
}

/** done / planned and on time / planned, or null when nothing was planned. */
export const complianceRates = (
  planned: number,
  done: number,
  onTime: number,
): { compliance: number | null; onTimeRate: number | null } => ({
  compliance: planned > 0 ? Number((done / planned).toFixed(4)) : null,
  onTimeRate: planned > 0 ? Number((onTime / planned).toFixed(4)) : null,
});

/** The channel an interaction is logged under when a task of this kind is done. */
export const interactionChannel: Readonly<Record<ContactKind, 'phone' | 'email' | 'visit' | 'meeting'>> = {
  call: 'phone',
  email: 'email',
  visit: 'visit',
  review_meeting: 'meeting',
};
