import type { LifecycleStage } from '@/client';

export const LIFECYCLE_STAGES: readonly LifecycleStage[] = ['lead', 'customer', 'churned'];
