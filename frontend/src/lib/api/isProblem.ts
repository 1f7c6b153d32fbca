import type { ProblemDetail } from '@/client';

/** The API answers every error as RFC 9457 problem+json; the generated client throws its body. */
export function isProblem(value: unknown): value is ProblemDetail {
  return (
    typeof value === 'object' &&
    value !== null &&
    'status' in value &&
    typeof value.status === 'number' &&
    'title' in value &&
    typeof value.title === 'string'
  );
}
