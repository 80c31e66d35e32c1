import { cadenceLabel } from './strategy.rules.js';
import type { Budget, Strategy } from './strategy.schema.js';

/**
 * The strategy as a Markdown document for the sales department (requirement E2's plain-text form): context, then per
 * target segment in priority order everything the plan says, the budget table and the expected return.
 */
const money = (value: number | null): string =>
  value === null ? '—' : `HKD ${Math.round(value).toLocaleString('en')}`;
const percent = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const list = (items: readonly string[]): string[] =>
  items.length === 0 ? ['- (none)'] : items.map((item) => `- ${item}`);

export function renderMarkdown(strategy: Strategy, budget: Budget): string {
  const { document } = strategy;
  const names = new Map(strategy.segments.map((s) => [s.id, s]));
  const lines: string[] = [
    `# ${strategy.title}`,
    '',
    `Status: **${strategy.status.replace('_', ' ')}** · version ${strategy.version}` +
      (strategy.industry ? ` · industry ${strategy.industry}` : '') +
      (strategy.approvedAt ? ` · approved ${strategy.approvedAt.slice(0, 10)}` : ''),
    '',
    '## Context',
    '',
    `- Market role: ${document.context.marketRole}`,
    `- Horizon: ${document.context.horizonMonths} months${document.context.startsOn ? ` from ${document.context.startsOn}` : ''}`,
    '',
    '### Objectives',
    '',
    ...list(document.context.objectives),
    '',
  ];
  if (document.context.notes) lines.push(document.context.notes, '');
  lines.push('### Target segments (in priority)', '');
  document.targets.forEach((target, index) => {
    const segment = names.get(target.segmentId);
    lines.push(
      `${index + 1}. ${segment?.name ?? `Segment ${target.segmentId}`} (${segment?.memberCount ?? 0} members)`,
    );
  });
  lines.push('');
  document.targets.forEach((target, index) => {
    const segment = names.get(target.segmentId);
    const figures = budget.segments.find((s) => s.segmentId === target.segmentId);
    lines.push(`## ${index + 1}. ${segment?.name ?? `Segment ${target.segmentId}`}`, '');
    lines.push(`**Objective:** ${target.objective}`, '');
    if (target.valueProposition) lines.push(`**Value proposition:** ${target.valueProposition}`, '');
    lines.push('**Tailor-made services**', '', ...list(target.services), '');
    lines.push('**Tactics**', '', ...list(target.tactics), '');
    lines.push(`**Channels:** ${target.channels.join(', ') || '—'}`, '');
    lines.push('**Contact cadence**', '');
    lines.push('| Contact | Cost per contact |', '| --- | ---: |');
    for (const item of target.cadence) lines.push(`| ${cell(cadenceLabel(item))} | ${money(item.costPerContact)} |`);
    lines.push('');
    if (target.loyaltyProgramme) {
      lines.push(`**Loyalty programme: ${target.loyaltyProgramme.name}**`, '');
      for (const tier of target.loyaltyProgramme.tiers) {
        lines.push(`- ${tier.name} (${tier.qualification}): ${tier.benefits.join('; ')}`);
      }
      lines.push('');
    }
    if (target.focusGroups.length > 0) {
      lines.push(
        '**Focus groups**',
        '',
        ...target.focusGroups.map(
          (g) => `- ${g.topic} — ${g.participants} participants${g.plannedOn ? `, ${g.plannedOn}` : ''}`,
        ),
        '',
      );
    }
    if (target.pledges.length > 0) {
      lines.push(
        '**Service pledges**',
        '',
        ...target.pledges.map((p) => `- ${p.text}${p.target ? ` (target ${p.target})` : ''}`),
        '',
      );
    }
    lines.push(`**Departments:** account owners, ${target.departments.join(', ') || '—'}`, '');
    if (target.kpis.length > 0) {
      lines.push('**KPIs**', '', '| KPI | Target | Review |', '| --- | ---: | --- |');
      for (const kpi of target.kpis)
        lines.push(`| ${cell(kpi.name)} | ${kpi.target}${cell(kpi.unit)} | ${kpi.reviewOn} |`);
      lines.push('');
    }
    if (figures) {
      lines.push(
        `**Budget:** ${money(figures.total)} (contacts ${money(figures.contactCost)}, programme ${money(figures.programmeCost)}) · ` +
          `**expected return:** ${money(figures.expectedReturn.expectedReturn)} from +${Math.round(target.retentionImprovement * 100)} points retention · ` +
          `ROI ${percent(figures.roi)}`,
        '',
      );
    }
  });
  lines.push('## Budget', '', `Over ${budget.horizonMonths} months, as of ${budget.asOf}.`, '');
  lines.push('| Segment | Line | Formula | Amount |', '| --- | --- | --- | ---: |');
  for (const line of budget.lines) {
    const name = names.get(line.segmentId)?.name ?? `Segment ${line.segmentId}`;
    lines.push(`| ${cell(name)} | ${cell(line.label)} | ${cell(line.formula)} | ${money(line.amount)} |`);
  }
  lines.push(`| **Total** | | | **${money(budget.total)}** |`, '');
  lines.push(`Expected return: **${money(budget.expectedReturn)}** · ROI ${percent(budget.roi)}`, '');
  lines.push('## Review', '');
  lines.push(`- Approval needed from: ${document.review.requiredDepartments.join(', ') || '—'}`);
  lines.push(`- Review dates: ${document.review.reviewDates.join(', ') || '—'}`);
  if (strategy.approvals.length > 0) {
    lines.push('', '| Department | Decision | By | When |', '| --- | --- | --- | --- |');
    for (const approval of strategy.approvals) {
      lines.push(
        `| ${approval.department} | ${approval.decision.replace('_', ' ')} | ${cell(approval.decidedByName ?? '—')} | ${approval.decidedAt.slice(0, 10)} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}
