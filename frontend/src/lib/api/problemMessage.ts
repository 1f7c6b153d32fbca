import { isProblem } from './isProblem';

/** What to tell the user about a failed request: the problem's detail, else its title, else the fallback. */
export function problemMessage(error: unknown, fallback: string): string {
  if (isProblem(error)) {
    return error.detail ?? error.title;
  }
  return fallback;
}
