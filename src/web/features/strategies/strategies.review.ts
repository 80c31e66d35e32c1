import type { Approval, Department, DocumentChange } from '../../../features/strategies/strategy.schema.js';

/** Pure helpers of the review panel and the version compare. */

export interface DepartmentState {
  department: Department;
  decision: 'approve' | 'request_changes' | null;
}

/** Each required department with its latest decision on the current version (null: still waiting). */
export function approvalState(required: readonly Department[], approvals: readonly Approval[]): DepartmentState[] {
  return required.map((department) => {
    const latest = approvals
      .filter((approval) => approval.department === department)
      .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.id - b.id)
      .at(-1);
    return { department, decision: latest?.decision ?? null };
  });
}

/** A value of the diff as short text for the side-by-side columns ("" when absent). */
export function showValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export const describeChange = (change: DocumentChange): { before: string; after: string } => ({
  before: showValue(change.before),
  after: showValue(change.after),
});
