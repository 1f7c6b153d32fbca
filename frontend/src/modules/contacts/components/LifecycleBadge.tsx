import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { LIFECYCLE_STAGES } from '../utils/lifecycleStages';

export type LifecycleBadgeProps = {
  stage: string;
};

const COLORS = { lead: 'blue', customer: 'teal', churned: 'gray' } as const;

export function LifecycleBadge({ stage }: LifecycleBadgeProps) {
  const { t } = useTranslation();
  const known = LIFECYCLE_STAGES.find((candidate) => candidate === stage);
  return (
    <Badge variant="light" color={known ? COLORS[known] : 'gray'} size="sm">
      {known ? t(`contacts.stages.${known}`) : stage}
    </Badge>
  );
}
