import { Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useSavedSegments } from '../hooks/useSavedSegments';
import type { ContactSort } from '../types/ContactSort';
import { CONTACT_SORTS } from '../utils/contactSorts';
import { LIFECYCLE_STAGES } from '../utils/lifecycleStages';

const route = getRouteApi('/_app/contacts/');
const DEBOUNCE_MS = 300;

/**
 * The typed inputs start from the URL and write back to it, debounced; when the URL changes
 * from outside ("clear filters"), the page remounts this component with a new key.
 */
export type ContactsFiltersProps = {
  /** Opens the dialog that saves the stage and tag filters as a segment. */
  onSaveSegment: () => void;
};

export function ContactsFilters({ onSaveSegment }: ContactsFiltersProps) {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const segments = useSavedSegments();
  const [q, setQ] = useState(search.q ?? '');
  const [tag, setTag] = useState(search.tag ?? '');
  const [debouncedQ] = useDebouncedValue(q.trim(), DEBOUNCE_MS);
  const [debouncedTag] = useDebouncedValue(tag.trim(), DEBOUNCE_MS);

  useEffect(() => {
    void navigate({
      search: (previous) => ({ ...previous, q: debouncedQ || undefined, tag: debouncedTag || undefined }),
      replace: true,
    });
  }, [debouncedQ, debouncedTag, navigate]);

  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      <TextInput
        label={t('contacts.search')}
        placeholder={t('contacts.searchPlaceholder')}
        type="search"
        value={q}
        onChange={(event) => {
          setQ(event.currentTarget.value);
        }}
        w={300}
      />
      <Select
        label={t('contacts.stage')}
        placeholder={t('contacts.allStages')}
        data={LIFECYCLE_STAGES.map((stage) => ({ value: stage, label: t(`contacts.stages.${stage}`) }))}
        value={search.stage ?? null}
        onChange={(value) => {
          const stage = LIFECYCLE_STAGES.find((candidate) => candidate === value);
          void navigate({ search: (previous) => ({ ...previous, stage }), replace: true });
        }}
        clearable
        w={180}
      />
      <TextInput
        label={t('contacts.tag')}
        placeholder={t('contacts.tagPlaceholder')}
        value={tag}
        onChange={(event) => {
          setTag(event.currentTarget.value);
        }}
        w={160}
      />
      <Select
        label={t('contacts.segment')}
        placeholder={segments.isPending ? t('common.loading') : t('contacts.allSegments')}
        data={(segments.data ?? []).map((segment) => ({ value: segment.id, label: segment.name }))}
        value={search.segment ?? null}
        onChange={(value) => {
          void navigate({ search: (previous) => ({ ...previous, segment: value ?? undefined }), replace: true });
        }}
        error={segments.isError ? t('contacts.segments.loadError') : undefined}
        nothingFoundMessage={t('contacts.segments.none')}
        searchable
        clearable
        w={220}
      />
      <Select
        label={t('contacts.sort')}
        data={CONTACT_SORTS.map((sort) => ({ value: sort, label: t(`contacts.sortOptions.${sort}`) }))}
        value={search.sort ?? '-created_at'}
        onChange={(value) => {
          const sort: ContactSort | undefined = CONTACT_SORTS.find((candidate) => candidate === value);
          void navigate({
            search: (previous) => ({ ...previous, sort: sort === '-created_at' ? undefined : sort }),
            replace: true,
          });
        }}
        allowDeselect={false}
        w={210}
      />
      <Button
        variant="light"
        onClick={onSaveSegment}
        disabled={!search.stage && !search.tag}
        title={t('contacts.segments.saveHint')}
      >
        {t('contacts.segments.saveButton')}
      </Button>
    </Group>
  );
}
