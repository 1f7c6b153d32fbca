import type { ChurnReason } from '@/client';

export const CHURN_REASONS: readonly ChurnReason[] = [
  'price',
  'service',
  'product_fit',
  'competitor',
  'moved_or_closed',
  'no_need',
  'other',
];

export function knownChurnReason(reason: string | null): ChurnReason | undefined {
  return CHURN_REASONS.find((candidate) => candidate === reason);
}
