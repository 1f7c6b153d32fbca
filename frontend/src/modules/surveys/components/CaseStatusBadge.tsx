import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { CaseRead } from '@/client';

type CaseStatus = CaseRead['status'];

const COLORS: Record<CaseStatus, string> = { open: 'red', in_progress: 'yellow', resolved: 'teal' };

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLORS[status]} variant="light">
      {t(`cases.statuses.${status}`)}
    </Badge>
  );
}
