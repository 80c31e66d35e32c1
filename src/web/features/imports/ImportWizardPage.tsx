import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  List,
  Paper,
  Select,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ImportEntity, Preview, SavedMapping } from '../../../features/imports/import.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { datedEntities, importEntities, packAttributes, wizardColumns } from './imports.columns.js';
import { importKeys, mappingsQuery, previewImport, saveMapping, startImport } from './imports.queries.js';
import {
  applySavedMapping,
  cellProblems,
  checkMappingState,
  indexProblems,
  mappingFromPreview,
  rowProblems,
  sampleValues,
  setTarget,
  toMappingInput,
  type Industry,
  type MappingState,
} from './imports.wizard.js';
import { ImportRunView } from './ImportRunView.js';

const skip = '__skip';
const translatedWarnings = /^(Not imported \(no matching column\)|Dates like |The dates look |The date column mixes )/;
const industries: readonly Industry[] = ['freight', 'automotive', 'retail'];

/** "account_code" → "Customer code (account_code)"; custom.* / attributes.* as they are. */
function useColumnLabel() {
  const { t, i18n } = useTranslation();
  return (name: string): string => {
    const key = `imports.columns.${name}`;
    return i18n.exists(key) ? `${t(key as 'imports.columns.account_code')} (${name})` : name;
  };
}

/** Step 1: the entity, the file and (optionally) a saved mapping. */
function UploadStep(props: {
  entity: ImportEntity;
  onEntity: (entity: ImportEntity) => void;
  file: File | null;
  onFile: (file: File | null) => void;
  saved: SavedMapping[];
  savedId: string | null;
  onSaved: (id: string | null) => void;
  onNext: () => void;
  busy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const forEntity = props.saved.filter((mapping) => mapping.entity === props.entity);
  return (
    <Stack gap="md" maw={560}>
      <Select
        label={t('imports.upload.entity')}
        description={t('imports.upload.entityHint')}
        data={importEntities.map((value) => ({ value, label: t(`imports.entities.${value}`) }))}
        value={props.entity}
        onChange={(value) => props.onEntity(importEntities.find((item) => item === value) ?? 'accounts')}
        allowDeselect={false}
        data-testid="import-entity"
      />
      <FileInput
        label={t('imports.upload.file')}
        description={t('imports.upload.fileHint')}
        placeholder={t('imports.upload.filePlaceholder')}
        accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        value={props.file}
        onChange={props.onFile}
        clearable
        data-testid="import-file"
      />
      {forEntity.length > 0 ? (
        <Select
          label={t('imports.upload.savedMapping')}
          description={t('imports.upload.savedMappingHint')}
          placeholder={t('imports.upload.noSavedMapping')}
          data={forEntity.map((mapping) => ({ value: String(mapping.id), label: mapping.name }))}
          value={props.savedId}
          onChange={props.onSaved}
          clearable
          data-testid="import-saved-mapping"
        />
      ) : null}
      {props.error ? <ErrorAlert title={t('imports.upload.error')} error={props.error} /> : null}
      <Group>
        <Button onClick={props.onNext} disabled={!props.file} loading={props.busy} data-testid="import-read">
          {t('imports.upload.next')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Step 2: each header of the file → a column, with examples; what is missing; reading options; save for reuse. */
function MappingStep(props: {
  preview: Preview;
  state: MappingState;
  onChange: (state: MappingState) => void;
  saved: SavedMapping[];
  onBack: () => void;
  onNext: () => void;
  busy: boolean;
  error: unknown;
}) {
  const { t } = useTranslation();
  const label = useColumnLabel();
  const queryClient = useQueryClient();
  const { state, preview } = props;
  const check = checkMappingState(state);
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => {
      const existing = props.saved.find((mapping) => mapping.name === name.trim());
      return saveMapping(name.trim(), state.entity, toMappingInput(state), existing?.id);
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: importKeys.mappings }),
  });
  const options = [
    { value: skip, label: t('imports.mapping.skip') },
    ...wizardColumns[state.entity].map((column) => ({
      value: column.name,
      label: `${label(column.name)}${column.required ? ' *' : ''}`,
    })),
  ];
  // Transactions: every industry pack's attributes, grouped by pack (a key in two packs is offered once).
  const attributeGroups =
    state.entity === 'transactions'
      ? industries.map((industry) => ({
          group: t('imports.mapping.packAttributes', { industry: t(`industry.${industry}`) }),
          items: packAttributes[industry]
            .filter((key) => industries.find((other) => packAttributes[other].includes(key)) === industry)
            .map((key) => ({ value: `attributes.${key}`, label: `attributes.${key}` })),
        }))
      : [];
  const offered = new Set([
    ...options.map((option) => option.value),
    ...attributeGroups.flatMap((group) => group.items.map((item) => item.value)),
  ]);
  const open = Object.values(state.columns).filter(
    (target): target is string => target !== null && !offered.has(target),
  );
  const data = [...options, ...open.map((target) => ({ value: target, label: target })), ...attributeGroups];
  const forEntity = props.saved.filter((mapping) => mapping.entity === state.entity);
  const missingText = check.missing.map((name) =>
    name === 'name|email|phone' ? t('imports.mapping.nameEmailOrPhone') : label(name),
  );

  return (
    <Stack gap="md">
      <Text c="dimmed" size="sm">
        {t('imports.mapping.intro', {
          format: preview.format.toUpperCase(),
          encoding: preview.encoding,
          headers: preview.headers.length,
        })}
      </Text>
      {forEntity.length > 0 ? (
        <Select
          label={t('imports.mapping.useSaved')}
          placeholder={t('imports.upload.noSavedMapping')}
          data={forEntity.map((mapping) => ({ value: String(mapping.id), label: mapping.name }))}
          value={null}
          onChange={(value) => {
            const chosen = forEntity.find((mapping) => String(mapping.id) === value);
            if (chosen) props.onChange(applySavedMapping(state, chosen.mapping));
          }}
          w={320}
          data-testid="mapping-use-saved"
        />
      ) : null}
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="xs" data-testid="mapping-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.mapping.header')}</Table.Th>
              <Table.Th>{t('imports.mapping.examples')}</Table.Th>
              <Table.Th w={320}>{t('imports.mapping.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {state.headers.map((header, index) => {
              const target = state.columns[header] ?? null;
              return (
                <Table.Tr key={`${index}:${header}`} data-testid="mapping-row">
                  <Table.Td fw={600} lang="zh-Hant-HK">
                    {header || t('imports.mapping.emptyHeader')}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" lineClamp={1}>
                      {sampleValues(preview, header).join(' · ') || t('account.none')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('imports.mapping.targetFor', { header })}
                      data={data}
                      value={target ?? skip}
                      onChange={(value) =>
                        props.onChange(setTarget(state, header, !value || value === skip ? null : value))
                      }
                      allowDeselect={false}
                      searchable
                      c={target === null ? 'dimmed' : undefined}
                      data-testid={`mapping-select-${index}`}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group align="flex-end" gap="md">
        {datedEntities.has(state.entity) ? (
          <Select
            label={t('imports.mapping.dateFormat')}
            description={t('imports.mapping.dateFormatHint')}
            data={[
              { value: 'DMY', label: t('imports.mapping.dmy') },
              { value: 'MDY', label: t('imports.mapping.mdy') },
            ]}
            value={state.dateFormat}
            onChange={(value) => props.onChange({ ...state, dateFormat: value === 'MDY' ? 'MDY' : 'DMY' })}
            allowDeselect={false}
            w={260}
            data-testid="mapping-date-format"
          />
        ) : null}
        {state.entity === 'accounts' ? (
          <Select
            label={t('imports.mapping.defaultIndustry')}
            description={t('imports.mapping.defaultIndustryHint')}
            data={industries.map((value) => ({ value, label: t(`industry.${value}`) }))}
            value={state.defaults.industry ?? 'freight'}
            onChange={(value) =>
              props.onChange({
                ...state,
                defaults: { ...state.defaults, industry: industries.find((item) => item === value) ?? 'freight' },
              })
            }
            allowDeselect={false}
            w={260}
          />
        ) : null}
        {state.entity === 'transactions' ? (
          <TextInput
            label={t('imports.mapping.defaultCurrency')}
            description={t('imports.mapping.defaultCurrencyHint')}
            value={state.defaults.currency ?? 'HKD'}
            maxLength={3}
            onChange={(event) =>
              props.onChange({
                ...state,
                defaults: { ...state.defaults, currency: event.currentTarget.value.toUpperCase() || undefined },
              })
            }
            w={260}
          />
        ) : null}
      </Group>
      {preview.dateOrder === 'MDY' && state.dateFormat === 'DMY' ? (
        <Alert color="yellow">{t('imports.mapping.looksMonthFirst')}</Alert>
      ) : null}
      {preview.dateOrder === 'ambiguous' ? <Alert color="blue">{t('imports.mapping.ambiguousDates')}</Alert> : null}
      {preview.dateOrder === 'conflicting' ? (
        <Alert color="yellow">{t('imports.mapping.conflictingDates')}</Alert>
      ) : null}
      {check.missing.length > 0 ? (
        <Alert color="red" title={t('imports.mapping.missingTitle')} data-testid="mapping-missing">
          {t('imports.mapping.missing', { columns: missingText.join(t('imports.listSeparator')) })}
        </Alert>
      ) : (
        <Text size="sm" c="dimmed" data-testid="mapping-summary">
          {t('imports.mapping.summary', { mapped: check.mapped, skipped: check.skipped.length })}
        </Text>
      )}
      <Paper withBorder p="sm" radius="md">
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('imports.mapping.saveAs')}
            description={t('imports.mapping.saveHint')}
            placeholder={t('imports.mapping.namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            w={320}
            data-testid="mapping-name"
          />
          <Button
            variant="default"
            onClick={() => save.mutate()}
            disabled={name.trim() === ''}
            loading={save.isPending}
            data-testid="mapping-save"
          >
            {t('imports.mapping.save')}
          </Button>
          {save.isSuccess ? (
            <Text size="sm" c="teal" data-testid="mapping-saved">
              {t('imports.mapping.saved', { name: save.data.name })}
            </Text>
          ) : null}
        </Group>
        {save.isError ? <ErrorAlert title={t('imports.mapping.saveError')} error={save.error} /> : null}
      </Paper>
      {props.error ? <ErrorAlert title={t('imports.upload.error')} error={props.error} /> : null}
      <Group>
        <Button variant="default" onClick={props.onBack}>
          {t('imports.back')}
        </Button>
        <Button onClick={props.onNext} disabled={!check.ready} loading={props.busy} data-testid="import-preview">
          {t('imports.mapping.next')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Step 3: the first rows as the file has them, each bad cell highlighted with what is wrong. */
function PreviewStep(props: {
  preview: Preview;
  state: MappingState;
  onBack: () => void;
  onRun: () => void;
  busy: boolean;
  error: unknown;
}) {
  const { t, i18n } = useTranslation();
  const label = useColumnLabel();
  const { preview, state } = props;
  const index = useMemo(() => indexProblems(preview.problems, preview.headers), [preview]);
  const shownBad = preview.rows.filter((row) => index.badRows.has(row.row)).length;
  // Unmapped columns and date order are said above in the user's language; other notes are shown as sent.
  const notes = preview.warnings.filter((warning) => !translatedWarnings.test(warning));
  const lang = i18n.language;
  return (
    <Stack gap="md">
      <Alert color={shownBad > 0 ? 'yellow' : 'teal'} data-testid="preview-summary">
        {shownBad > 0
          ? t('imports.preview.withProblems', {
              rows: formatCount(preview.rows.length, lang),
              bad: formatCount(shownBad, lang),
            })
          : t('imports.preview.clean', { rows: formatCount(preview.rows.length, lang) })}
      </Alert>
      <Table.ScrollContainer minWidth={Math.max(640, preview.headers.length * 140)}>
        <Table withTableBorder withColumnBorders verticalSpacing={6} fz="sm" data-testid="preview-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={60}>{t('imports.preview.row')}</Table.Th>
              {preview.headers.map((header, i) => {
                const target = state.columns[header] ?? null;
                return (
                  <Table.Th key={`${i}:${header}`}>
                    <div lang="zh-Hant-HK">{header}</div>
                    <Text size="xs" c={target ? 'teal' : 'dimmed'} fw={400}>
                      {target ? `→ ${label(target)}` : t('imports.mapping.skip')}
                    </Text>
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.rows.map((row) => {
              const whole = rowProblems(index, row.row);
              return (
                <Table.Tr key={row.row} data-testid="preview-row" data-bad={index.badRows.has(row.row) || undefined}>
                  <Table.Td bg={whole.length > 0 ? 'red.1' : undefined}>
                    {whole.length > 0 ? (
                      <Tooltip label={whole.map((problem) => problem.message).join('\n')} multiline w={320}>
                        <Text size="sm" c="red.8" fw={700} data-testid="row-problem">
                          {row.row} !
                        </Text>
                      </Tooltip>
                    ) : (
                      row.row
                    )}
                  </Table.Td>
                  {preview.headers.map((header, i) => {
                    const problems = cellProblems(index, row.row, header);
                    const value = row.values[header] ?? '';
                    if (problems.length === 0) return <Table.Td key={`${i}:${header}`}>{value}</Table.Td>;
                    const message = problems.map((problem) => problem.message).join('\n');
                    return (
                      <Table.Td key={`${i}:${header}`} bg="red.1" data-problem={message} title={message}>
                        <Tooltip label={message} multiline w={320}>
                          <Text size="sm" c="red.9" fw={600} td="underline wavy" span>
                            {value || t('imports.preview.empty')}
                          </Text>
                        </Tooltip>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {preview.problems.length > 0 ? (
        <Paper withBorder p="sm" radius="md">
          <Title order={5} mb="xs">
            {t('imports.preview.problemsTitle')}
          </Title>
          <Table fz="sm" verticalSpacing={4} data-testid="preview-problems">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.preview.row')}</Table.Th>
                <Table.Th>{t('imports.preview.column')}</Table.Th>
                <Table.Th>{t('imports.preview.value')}</Table.Th>
                <Table.Th>{t('imports.preview.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.problems.slice(0, 50).map((problem, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{problem.row}</Table.Td>
                  <Table.Td lang="zh-Hant-HK">{problem.column ?? t('imports.preview.wholeRow')}</Table.Td>
                  <Table.Td ff="monospace">{problem.value ?? ''}</Table.Td>
                  <Table.Td>{problem.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" c="dimmed" mt="xs">
            {t('imports.preview.problemsHint')}
          </Text>
        </Paper>
      ) : null}
      {notes.length > 0 ? (
        <Alert color="gray" title={t('imports.preview.serverNotes')}>
          <List size="sm">
            {notes.map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      {props.error ? <ErrorAlert title={t('imports.run.startError')} error={props.error} /> : null}
      <Group>
        <Button variant="default" onClick={props.onBack}>
          {t('imports.preview.back')}
        </Button>
        <Button onClick={props.onRun} loading={props.busy} data-testid="import-run-button">
          {t('imports.preview.run')}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The import wizard: upload → column mapping (guessed from the headers, English or Chinese; editable; saved for
 * reuse) → preview with the problems on their cells → run with progress → result with the error report.
 */
export function ImportWizardPage() {
  const { t } = useTranslation();
  usePageTitle(t('imports.wizard.title'));
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [entity, setEntity] = useState<ImportEntity>('transactions');
  const [file, setFile] = useState<File | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const [state, setState] = useState<MappingState | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [importId, setImportId] = useState<number | null>(null);
  const mappings = useQuery(mappingsQuery());
  const saved = mappings.data?.items ?? [];

  const read = useMutation({
    mutationFn: (input: { file: File; entity: ImportEntity }) => previewImport(input.file, input.entity, null),
    onSuccess: (result, input) => {
      let next = mappingFromPreview(input.entity, result);
      const chosen = saved.find((mapping) => String(mapping.id) === savedId && mapping.entity === input.entity);
      if (chosen) next = applySavedMapping(next, chosen.mapping);
      setState(next);
      setPreview(result);
      setStep(1);
    },
  });
  const check = useMutation({
    mutationFn: (input: { file: File; state: MappingState }) =>
      previewImport(input.file, input.state.entity, toMappingInput(input.state)),
    onSuccess: (result) => {
      setPreview(result);
      setStep(2);
    },
  });
  const run = useMutation({
    mutationFn: (input: { file: File; state: MappingState }) =>
      startImport(input.file, input.state.entity, toMappingInput(input.state)),
    onSuccess: (summary) => {
      setImportId(summary.importId);
      setStep(3);
      void queryClient.invalidateQueries({ queryKey: importKeys.history });
    },
  });

  const restart = () => {
    setStep(0);
    setFile(null);
    setState(null);
    setPreview(null);
    setImportId(null);
    read.reset();
    check.reset();
    run.reset();
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/customers" size="sm">
        ← {t('account.back')}
      </Anchor>
      <Group justify="space-between" align="flex-end" mt={-8}>
        <Title order={2}>{t('imports.wizard.title')}</Title>
        <Button component={Link} to="/customers/imports" variant="default">
          {t('imports.history.title')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm" mt={-8} maw={900}>
        {t('imports.wizard.intro')}
      </Text>
      <Stepper
        active={step}
        allowNextStepsSelect={false}
        onStepClick={(index) => index < 3 && importId === null && setStep(index)}
      >
        <Stepper.Step label={t('imports.steps.upload')} description={t('imports.steps.uploadHint')}>
          <UploadStep
            entity={entity}
            onEntity={(value) => {
              setEntity(value);
              setSavedId(null);
            }}
            file={file}
            onFile={setFile}
            saved={saved}
            savedId={savedId}
            onSaved={setSavedId}
            onNext={() => file && read.mutate({ file, entity })}
            busy={read.isPending}
            error={read.error}
          />
        </Stepper.Step>
        <Stepper.Step label={t('imports.steps.mapping')} description={t('imports.steps.mappingHint')}>
          {state && preview && file ? (
            <MappingStep
              preview={preview}
              state={state}
              onChange={setState}
              saved={saved}
              onBack={() => setStep(0)}
              onNext={() => check.mutate({ file, state })}
              busy={check.isPending}
              error={check.error}
            />
          ) : null}
        </Stepper.Step>
        <Stepper.Step label={t('imports.steps.preview')} description={t('imports.steps.previewHint')}>
          {state && preview && file ? (
            <PreviewStep
              preview={preview}
              state={state}
              onBack={() => setStep(1)}
              onRun={() => run.mutate({ file, state })}
              busy={run.isPending}
              error={run.error}
            />
          ) : null}
        </Stepper.Step>
        <Stepper.Step label={t('imports.steps.run')} description={t('imports.steps.runHint')}>
          {importId !== null ? (
            <Stack gap="md">
              <ImportRunView id={importId} />
              <Group>
                <Button variant="default" onClick={restart} data-testid="import-again">
                  {t('imports.run.again')}
                </Button>
                <Button component={Link} to="/customers/imports" variant="subtle">
                  {t('imports.history.title')}
                </Button>
              </Group>
            </Stack>
          ) : null}
        </Stepper.Step>
      </Stepper>
      {step === 0 && entity ? (
        <Text size="xs" c="dimmed">
          <Badge variant="light" color="gray" mr={6}>
            {t('imports.wizard.required')}
          </Badge>
          {wizardColumns[entity]
            .filter((column) => column.required)
            .map((column) => t(`imports.columns.${column.name}` as 'imports.columns.account_code'))
            .join(t('imports.listSeparator'))}
        </Text>
      ) : null}
    </Stack>
  );
}
