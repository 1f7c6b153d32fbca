import type { Prospect } from '@/client';

/** The figure a prospect's value column shows: the predicted CLV when a CLV run made one, else the value so far. */
export type ProspectValue = { kind: 'clv' | 'netValue'; amount: string; currency: string | null };

export function prospectValue(prospect: Prospect): ProspectValue | null {
  if (prospect.clv !== null) return { kind: 'clv', amount: prospect.clv, currency: prospect.clv_currency };
  if (prospect.net_value !== null) return { kind: 'netValue', amount: prospect.net_value, currency: prospect.currency };
  return null;
}

/** The customer's name, or null until analytics has heard of them (the page shows a placeholder then). */
export function prospectName(prospect: Prospect): string | null {
  const name = [prospect.first_name, prospect.last_name].filter(Boolean).join(' ');
  return name === '' ? null : name;
}

/**
 * What the "why" sentence needs, in the user's language: the API's `reason` is English, so the page
 * words it from the same figures (the product the customer owns and the share of its buyers who bought this one).
 */
export function prospectReason(prospect: Prospect): { product: string; percent: number } {
  return {
    product: prospect.because_of_name ?? prospect.because_of_sku,
    percent: Math.round(prospect.confidence * 100),
  };
}
