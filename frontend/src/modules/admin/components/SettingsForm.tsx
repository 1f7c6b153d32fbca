import { Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type SyntheticEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useFormatters } from '@/i18n/useFormatters';
import { problemMessage } from '@/lib/api/problemMessage';
import { ErrorState } from '@/ui/ErrorState';
import { LoadingState } from '@/ui/LoadingState';

import { useServerErrors } from '../hooks/useServerErrors';
import { FormErrors } from './FormErrors';

export type SettingField<TName extends string> = {
  name: TName;
  label: string;
  hint: string;
  min?: number;
  max?: number;
  step?: number;
  decimalScale?: number;
  suffix?: string;
};

/** What GET /api/v1/settings/{service} answers, for any service's fields. */
export type SettingsState<TName extends string> = {
  values: Record<TName, number>;
  defaults: Record<TName, number>;
  updated_at?: string | null;
  updated_by?: string | null;
};

type Saved = { queued_jobs?: unknown[] };

export type SettingsFormProps<TName extends string> = {
  title: string;
  /** When a change takes effect. */
  applies: string;
  fields: readonly SettingField<TName>[];
  query: {
    data?: SettingsState<TName>;
    isPending: boolean;
    isError: boolean;
    error: unknown;
    refetch: () => unknown;
  };
  onSave: (values: Record<TName, number>) => Promise<Saved>;
  onReset: () => Promise<unknown>;
  /** Shown when the save queued work (e.g. the analytics recompute). */
  queuedMessage?: string;
};

/** One service's run-time settings: a number input per field with its default, save and restore. */
export function SettingsForm<TName extends string>(props: SettingsFormProps<TName>) {
  const { t } = useTranslation();
  const { title, applies, query } = props;
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <div>
          <Title order={2} size="h4">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {applies}
          </Text>
        </div>
        {query.isPending ? (
          <LoadingState label={t('common.loading')} />
        ) : query.isError || !query.data ? (
          <ErrorState
            title={t('admin.settings.error')}
            text={problemMessage(query.error, t('common.unexpectedError'))}
            retryLabel={t('common.retry')}
            onRetry={() => void query.refetch()}
          />
        ) : (
          // Remounted when the stored values change, so the inputs start from what is in force.
          <SettingsFields key={JSON.stringify(query.data.values)} {...props} state={query.data} />
        )}
      </Stack>
    </Paper>
  );
}

function SettingsFields<TName extends string>({
  fields,
  state,
  onSave,
  onReset,
  queuedMessage,
}: SettingsFormProps<TName> & { state: SettingsState<TName> }) {
  const { t, i18n } = useTranslation();
  const format = useFormatters();
  const names = fields.map((field) => field.name);
  const errors = useServerErrors(names);
  const [draft, setDraft] = useState<Record<TName, number | string>>(state.values);
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);

  const handleSubmit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    errors.clear();
    const missing: Partial<Record<TName, string>> = {};
    for (const name of names) {
      if (typeof draft[name] !== 'number') {
        missing[name] = t('admin.settings.required');
      }
    }
    if (Object.keys(missing).length > 0) {
      errors.setFieldErrors(missing);
      return;
    }
    setBusy('save');
    try {
      const saved = await onSave(draft as Record<TName, number>);
      notifications.show({ color: 'teal', message: t('admin.settings.saved') });
      if (queuedMessage && (saved.queued_jobs?.length ?? 0) > 0) {
        notifications.show({ color: 'blue', message: queuedMessage });
      }
    } catch (error) {
      errors.show(error);
    } finally {
      setBusy(null);
    }
  };

  const handleReset = async () => {
    errors.clear();
    setBusy('reset');
    try {
      await onReset();
      notifications.show({ color: 'teal', message: t('admin.settings.restored') });
    } catch (error) {
      errors.show(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form noValidate onSubmit={(event) => void handleSubmit(event)}>
      <Stack gap="sm">
        <FormErrors errors={errors.formErrors} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {fields.map((field) => (
            <NumberInput
              key={field.name}
              label={field.label}
              description={`${field.hint} · ${t('admin.settings.default', { value: format.number(state.defaults[field.name], 4) })}`}
              withAsterisk
              min={field.min}
              max={field.max}
              step={field.step ?? 1}
              decimalScale={field.decimalScale ?? 0}
              suffix={field.suffix}
              allowDecimal={(field.decimalScale ?? 0) > 0}
              decimalSeparator={i18n.language.startsWith('de') ? ',' : '.'}
              // The API says what is out of range, at the field; the input does not clamp silently.
              clampBehavior="none"
              value={draft[field.name]}
              onChange={(value) => {
                setDraft((current) => ({ ...current, [field.name]: value }));
              }}
              error={errors.fieldErrors[field.name]}
            />
          ))}
        </SimpleGrid>
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {state.updated_at
              ? t('admin.settings.changedBy', {
                  who: state.updated_by ?? t('common.none'),
                  when: format.dateTime(state.updated_at),
                })
              : t('admin.settings.allDefaults')}
          </Text>
          <Group gap="xs">
            <Button variant="default" loading={busy === 'reset'} disabled={busy !== null} onClick={() => void handleReset()}>
              {t('admin.settings.restore')}
            </Button>
            <Button type="submit" loading={busy === 'save'} disabled={busy !== null}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
