import { isProblem } from './isProblem';

/**
 * What to tell a reader about a failed request in their language, where the page knows what
 * each status means for it (the wrong password of a login, the expired link of a survey): the
 * server's `detail` is English and written for developers, so it is never shown here.
 */
export function problemByStatus(error: unknown, messages: Partial<Record<number, string>>, fallback: string): string {
  if (isProblem(error)) {
    return messages[error.status] ?? fallback;
  }
  return fallback;
}
