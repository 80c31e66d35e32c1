import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Stepper,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import {
  cadenceUnitSchema,
  channelSchema,
  contactKindSchema,
  departmentSchema,
  marketRoleSchema,
  strategyIndustrySchema,
  type BuilderStep,
  type CadenceItem,
  type GuidedDraft,
  type MarketRole,
  type StrategyDocument,
  type StrategyIndustry,
  type TargetPlan,
} from '../../../features/strategies/strategy.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import {
  documentChanged,
  linesToList,
  listToLines,
  move,
  orderTargets,
  prefilledTargets,
  toCreatePayload,
  toggle,
  updateCadence,
  updateKpi,
  updateProgrammeCost,
  updateTarget,
} from './strategies.logic.js';
import { createStrategy, guidedDraftQuery, segmentListQuery, strategyKeys } from './strategies.queries.js';
import { BudgetSummary, Explanations } from './StrategyBits.js';

const steps = ['classify', 'targets', 'tactics', 'budget', 'kpis', 'review'] as const;
type Step = (typeof steps)[number];

/** /strategies/new: the guided builder ("coach") walking the standards' checklist, pre-filled from the analysis. */
export function GuidedBuilderPage() {
  const { t } = useTranslation();
  usePageTitle(t('strategies.builder.title'));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [active, setActive] = useState(0);
  const [industry, setIndustry] = useState<StrategyIndustry>('freight');
  const [marketRole, setMarketRole] = useState<MarketRole>('challenger');
  const [chosen, setChosen] = useState<number[] | null>(null);
  const [edits, setEdits] = useState<{ source: GuidedDraft; document: StrategyDocument } | null>(null);
  const [titleInput, setTitle] = useState<string | null>(null);

  const segments = useQuery(segmentListQuery(industry));
  const liveSegments = useMemo(
    () => (segments.data?.items ?? []).filter((segment) => segment.archivedAt === null),
    [segments.data],
  );
  const targetIds = useMemo(() => chosen ?? prefilledTargets(liveSegments), [chosen, liveSegments]);
  const request = {
    industry,
    segmentIds: targetIds,
    maxTargets: Math.max(1, targetIds.length),
    marketRole,
    horizonMonths: 12,
    retentionImprovement: 0.05,
  };
  const draft = useQuery({ ...guidedDraftQuery(request), enabled: segments.isSuccess && targetIds.length > 0 });

  // A new suggestion (other targets, role or industry) replaces the working document; edits start from it.
  const document =
    draft.data === undefined
      ? null
      : edits?.source === draft.data
        ? edits.document
        : orderTargets(draft.data.document, targetIds);
  const setDocument = (next: StrategyDocument | null) =>
    setEdits(next && draft.data ? { source: draft.data, document: next } : null);
  const title = titleInput ?? draft.data?.title ?? '';

  const save = useMutation({
    mutationFn: () => createStrategy(toCreatePayload(title, industry, orderTargets(document!, targetIds))),
    onSuccess: async (strategy) => {
      await queryClient.invalidateQueries({ queryKey: strategyKeys.all });
      void navigate(`/strategies/${strategy.id}`);
    },
  });

  const names = new Map(liveSegments.map((segment) => [segment.id, segment]));
  const ready = draft.data !== undefined && document !== null;

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('strategies.builder.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('strategies.builder.intro')}
        </Text>
      </div>
      {segments.isError ? <ErrorAlert title={t('strategies.errors.segments')} error={segments.error} /> : null}
      {draft.isError ? <ErrorAlert title={t('strategies.errors.draft')} error={draft.error} /> : null}
      <Stepper active={active} onStepClick={setActive} size="sm" allowNextStepsSelect={ready}>
        {steps.map((step) => (
          <Stepper.Step key={step} label={t(`strategies.builder.steps.${step}`)} data-testid={`builder-step-${step}`} />
        ))}
      </Stepper>
      <Paper withBorder p="md" radius="md">
        {renderStep(steps[active] ?? 'classify')}
      </Paper>
      <Group justify="space-between">
        <Button variant="default" disabled={active === 0} onClick={() => setActive((n) => Math.max(0, n - 1))}>
          {t('strategies.builder.back')}
        </Button>
        {active < steps.length - 1 ? (
          <Button
            data-testid="builder-next"
            disabled={!ready || targetIds.length === 0}
            onClick={() => setActive((n) => Math.min(steps.length - 1, n + 1))}
          >
            {t('strategies.builder.next')}
          </Button>
        ) : (
          <Button
            data-testid="builder-save"
            loading={save.isPending}
            disabled={!ready || title.trim() === ''}
            onClick={() => save.mutate()}
          >
            {t('strategies.builder.save')}
          </Button>
        )}
      </Group>
      {save.isError ? <ErrorAlert title={t('strategies.errors.save')} error={save.error} /> : null}
    </Stack>
  );

  function renderStep(step: Step) {
    if (step === 'classify') {
      return (
        <Stack gap="sm">
          <Group align="end">
            <Select
              label={t('strategies.builder.industry')}
              data={strategyIndustrySchema.options.map((value) => ({ value, label: t(`industry.${value}`) }))}
              value={industry}
              allowDeselect={false}
              onChange={(value) => {
                if (!value) return;
                setIndustry(value);
                setChosen(null);
                setDocument(null);
              }}
            />
            <Select
              label={t('strategies.builder.marketRole')}
              data={marketRoleSchema.options.map((value) => ({ value, label: t(`strategies.marketRole.${value}`) }))}
              value={marketRole}
              allowDeselect={false}
              onChange={(value) => value && setMarketRole(value)}
            />
          </Group>
          <Text size="sm" c="dimmed">
            {t('strategies.builder.classifyHelp')}
          </Text>
          {draft.isFetching ? <Loader size="sm" /> : null}
          <StepNotes draft={draft.data} step="classify" />
          <StepNotes draft={draft.data} step="assess" />
          {segments.isSuccess && liveSegments.length === 0 ? (
            <Alert color="yellow">{t('strategies.builder.noSegments')}</Alert>
          ) : null}
        </Stack>
      );
    }
    if (step === 'targets') {
      return (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('strategies.builder.targetsHelp')}
          </Text>
          <Table data-testid="builder-targets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th>{t('strategies.builder.priority')}</Table.Th>
                <Table.Th>{t('strategies.budget.segment')}</Table.Th>
                <Table.Th ta="right">{t('strategies.budget.members')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[
                ...targetIds.flatMap((id) => names.get(id) ?? []),
                ...liveSegments.filter((s) => !targetIds.includes(s.id)),
              ].map((segment) => {
                const index = targetIds.indexOf(segment.id);
                return (
                  <Table.Tr key={segment.id} data-testid="builder-target-row">
                    <Table.Td>
                      <Checkbox
                        aria-label={segment.name}
                        checked={index !== -1}
                        onChange={() => setChosen(toggle(targetIds, segment.id))}
                      />
                    </Table.Td>
                    <Table.Td>{index === -1 ? '' : index + 1}</Table.Td>
                    <Table.Td>{segment.name}</Table.Td>
                    <Table.Td ta="right">{segment.memberCount}</Table.Td>
                    <Table.Td>
                      {index === -1 ? null : (
                        <Group gap={4} justify="end">
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('strategies.builder.up')}
                            disabled={index === 0}
                            onClick={() => setChosen(move(targetIds, index, -1))}
                          >
                            ↑
                          </ActionIcon>
                          <ActionIcon
                            variant="subtle"
                            aria-label={t('strategies.builder.down')}
                            disabled={index === targetIds.length - 1}
                            onClick={() => setChosen(move(targetIds, index, 1))}
                          >
                            ↓
                          </ActionIcon>
                        </Group>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <StepNotes draft={draft.data} step="targets" />
        </Stack>
      );
    }
    if (!document) return <Loader size="sm" />;
    const ordered = orderTargets(document, targetIds).targets;
    const edit = (segmentId: number, change: (target: TargetPlan) => TargetPlan) =>
      setDocument(updateTarget(document, segmentId, change));
    const nameOf = (id: number) => names.get(id)?.name ?? `#${id}`;
    if (step === 'tactics') {
      return (
        <Stack gap="lg">
          <StepNotes draft={draft.data} step="tactics" />
          {ordered.map((target, priority) => (
            <Stack key={target.segmentId} gap="xs" data-testid="builder-target-plan">
              <Title order={4}>
                {priority + 1}. {nameOf(target.segmentId)}
              </Title>
              <Textarea
                label={t('strategies.plan.objective')}
                autosize
                minRows={2}
                value={target.objective}
                onChange={(event) => {
                  const objective = event.currentTarget.value;
                  edit(target.segmentId, (plan) => ({ ...plan, objective }));
                }}
              />
              <Textarea
                label={t('strategies.plan.tactics')}
                description={t('strategies.plan.onePerLine')}
                autosize
                minRows={2}
                value={listToLines(target.tactics)}
                onChange={(event) => {
                  const tactics = linesToList(event.currentTarget.value);
                  edit(target.segmentId, (plan) => ({ ...plan, tactics }));
                }}
              />
              <MultiSelect
                label={t('strategies.plan.channels')}
                data={channelSchema.options.map((value) => ({ value, label: t(`strategies.channel.${value}`) }))}
                value={target.channels}
                onChange={(values) => edit(target.segmentId, (plan) => ({ ...plan, channels: values }))}
              />
              <Text size="sm" fw={500}>
                {t('strategies.plan.cadence')}
              </Text>
              <CadenceEditor
                items={target.cadence}
                onChange={(index, patch) => edit(target.segmentId, (plan) => updateCadence(plan, index, patch))}
              />
            </Stack>
          ))}
        </Stack>
      );
    }
    if (step === 'budget') {
      const changed = draft.data ? documentChanged(orderTargets(draft.data.document, targetIds), document) : false;
      return (
        <Stack gap="md">
          <StepNotes draft={draft.data} step="budget" />
          {draft.data ? <BudgetSummary budget={draft.data.budget} /> : null}
          {changed ? (
            <Alert color="blue" data-testid="budget-recomputed-note">
              {t('strategies.builder.budgetChanged')}
            </Alert>
          ) : null}
          {ordered.map((target) =>
            target.programmeCosts.length === 0 ? null : (
              <Stack key={target.segmentId} gap={4}>
                <Text fw={500}>{t('strategies.plan.programmeCosts', { segment: nameOf(target.segmentId) })}</Text>
                {target.programmeCosts.map((line, index) => (
                  <NumberInput
                    key={`${line.label}-${index}`}
                    label={line.label}
                    prefix="HK$ "
                    thousandSeparator
                    min={0}
                    value={line.amount}
                    onChange={(value) =>
                      edit(target.segmentId, (plan) => updateProgrammeCost(plan, index, Number(value) || 0))
                    }
                    maw={320}
                  />
                ))}
              </Stack>
            ),
          )}
        </Stack>
      );
    }
    if (step === 'kpis') {
      return (
        <Stack gap="md">
          <StepNotes draft={draft.data} step="kpis" />
          {ordered.map((target) => (
            <Stack key={target.segmentId} gap={4}>
              <Text fw={500}>{nameOf(target.segmentId)}</Text>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('strategies.plan.kpi')}</Table.Th>
                    <Table.Th>{t('strategies.plan.target')}</Table.Th>
                    <Table.Th>{t('strategies.plan.reviewOn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {target.kpis.map((kpi, index) => (
                    <Table.Tr key={`${kpi.name}-${index}`}>
                      <Table.Td>{kpi.name}</Table.Td>
                      <Table.Td>
                        <NumberInput
                          size="xs"
                          value={kpi.target}
                          suffix={kpi.unit ? ` ${kpi.unit}` : ''}
                          onChange={(value) =>
                            edit(target.segmentId, (plan) => updateKpi(plan, index, { target: Number(value) || 0 }))
                          }
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          size="xs"
                          type="date"
                          value={kpi.reviewOn}
                          onChange={(event) => {
                            const reviewOn = event.currentTarget.value;
                            if (reviewOn) edit(target.segmentId, (plan) => updateKpi(plan, index, { reviewOn }));
                          }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          ))}
        </Stack>
      );
    }
    return (
      <Stack gap="sm">
        <StepNotes draft={draft.data} step="review" />
        <TextInput
          label={t('strategies.builder.strategyTitle')}
          value={title}
          onChange={(event) => setTitle(event.currentTarget.value)}
          data-testid="builder-title"
        />
        <MultiSelect
          label={t('strategies.builder.requiredDepartments')}
          data={departmentSchema.options.map((value) => ({ value, label: t(`strategies.department.${value}`) }))}
          value={document.review.requiredDepartments}
          onChange={(values) =>
            setDocument({
              ...document,
              review: {
                ...document.review,
                requiredDepartments: values,
              },
            })
          }
        />
        <Text size="sm">
          {t('strategies.builder.summary', {
            targets: ordered.map((target) => nameOf(target.segmentId)).join(' → '),
          })}
        </Text>
      </Stack>
    );
  }
}

function StepNotes({ draft, step }: { draft: GuidedDraft | undefined; step: BuilderStep }) {
  const { t } = useTranslation();
  const found = draft?.steps.find((s) => s.step === step);
  if (!found || found.explanations.length === 0) return null;
  return (
    <Alert
      color={found.status === 'attention' ? 'yellow' : 'teal'}
      variant="light"
      title={
        <Group gap="xs">
          {t(`strategies.builder.notes.${step}`)}
          {found.status === 'attention' ? <Badge color="yellow">{t('strategies.builder.attention')}</Badge> : null}
        </Group>
      }
      data-testid={`builder-notes-${step}`}
    >
      <Explanations items={found.explanations} />
    </Alert>
  );
}

function CadenceEditor({
  items,
  onChange,
}: {
  items: readonly CadenceItem[];
  onChange: (index: number, patch: Partial<CadenceItem>) => void;
}) {
  const { t } = useTranslation();
  return (
    <Table data-testid="cadence-editor">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('strategies.plan.contactKind')}</Table.Th>
          <Table.Th>{t('strategies.plan.every')}</Table.Th>
          <Table.Th>{t('strategies.plan.unit')}</Table.Th>
          <Table.Th>{t('strategies.plan.costPerContact')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((item, index) => (
          <Table.Tr key={`${item.kind}-${index}`}>
            <Table.Td>
              <Select
                size="xs"
                allowDeselect={false}
                data={contactKindSchema.options.map((value) => ({
                  value,
                  label: t(`strategies.contactKind.${value}`),
                }))}
                value={item.kind}
                onChange={(value) => value && onChange(index, { kind: value })}
              />
            </Table.Td>
            <Table.Td>
              <NumberInput
                size="xs"
                min={1}
                max={52}
                value={item.every}
                onChange={(value) => onChange(index, { every: Math.max(1, Math.round(Number(value) || 1)) })}
              />
            </Table.Td>
            <Table.Td>
              <SegmentedControl
                size="xs"
                data={cadenceUnitSchema.options.map((value) => ({ value, label: t(`strategies.unit.${value}`) }))}
                value={item.unit}
                onChange={(value) => onChange(index, { unit: value })}
              />
            </Table.Td>
            <Table.Td>
              <NumberInput
                size="xs"
                prefix="HK$ "
                min={0}
                thousandSeparator
                value={item.costPerContact}
                onChange={(value) => onChange(index, { costPerContact: Number(value) || 0 })}
              />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
