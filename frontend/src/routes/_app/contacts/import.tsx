import { createFileRoute } from '@tanstack/react-router';

import { ImportPage } from '@/modules/imports/components/ImportPage';
import { parseImportSearch } from '@/modules/imports/utils/parseImportSearch';

export const Route = createFileRoute('/_app/contacts/import')({
  validateSearch: parseImportSearch,
  component: ImportPage,
});
