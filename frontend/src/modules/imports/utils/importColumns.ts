import type { ImportKind } from '@/client';

export const IMPORT_KINDS = ['contacts', 'orders', 'interactions'] as const satisfies readonly ImportKind[];

/** The columns (CSV) or keys (NDJSON) each kind takes: the API's field names. */
export const IMPORT_COLUMNS: Record<ImportKind, readonly string[]> = {
  contacts: [
    'first_name',
    'last_name',
    'email',
    'phone',
    'company',
    'language',
    'tags',
    'custom_fields',
    'lifecycle_stage',
    'owner_id',
    'marketing_consent',
    'acquisition_channel',
    'acquisition_cost',
    'external_id',
  ],
  orders: [
    'contact_external_id',
    'contact_email',
    'external_id',
    'ordered_at',
    'sku',
    'quantity',
    'unit_price',
    'unit_cost',
    'currency',
  ],
  interactions: [
    'contact_external_id',
    'contact_email',
    'kind',
    'direction',
    'channel',
    'subject',
    'body',
    'occurred_at',
    'sentiment',
    'cost',
    'currency',
  ],
};

/** What the file chooser offers: CSV and NDJSON (the API tells them apart by the name). */
export const IMPORT_FILE_TYPES = '.csv,.ndjson,.jsonl,text/csv,application/x-ndjson';
