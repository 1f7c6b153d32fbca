/** The churn risk drivers analytics names (CustomerRead.churn_drivers), each with its own text. */
export const CHURN_DRIVERS = [
  'low_p_alive',
  'contract_cancelled',
  'contract_ending',
  'detractor',
  'negative_interactions',
] as const;

export type ChurnDriver = (typeof CHURN_DRIVERS)[number];

export function knownDriver(driver: string): ChurnDriver | undefined {
  return CHURN_DRIVERS.find((candidate) => candidate === driver);
}

/** High from 0.6, medium from 0.3: the bands the badge colours. */
export function riskBand(risk: number): 'high' | 'medium' | 'low' {
  if (risk >= 0.6) return 'high';
  if (risk >= 0.3) return 'medium';
  return 'low';
}
