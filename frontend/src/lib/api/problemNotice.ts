import type { TFunction } from 'i18next';

import { de } from '@/i18n/de';

import { isProblem } from './isProblem';

type ProblemKey = keyof typeof de.problems;

export type ProblemNotice = { title?: string; message: string };

const TYPE_PREFIX = 'urn:treue:problem:';
// A framework's own error (an unknown route, a wrong method) is typed `http-<status>`.
const BY_STATUS: Partial<Record<number, ProblemKey>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'body-too-large',
  422: 'validation',
  429: 'rate-limited',
  503: 'service-unavailable',
  504: 'upstream-timeout',
};

function isKnown(slug: string): slug is ProblemKey {
  return Object.hasOwn(de.problems, slug);
}

// `type` as it came over the wire: a proxy's error page turned problem may lack it.
function problemKey(type: unknown, status: number): ProblemKey {
  const slug = typeof type === 'string' && type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length) : '';
  if (isKnown(slug)) return slug;
  return BY_STATUS[status] ?? 'unknown';
}

/**
 * What a notification tells the user about a failed request: a title in their language for
 * the problem's `type`, with the server's `detail` (English, specific) below it; the title
 * alone when there is no detail, and the fallback for what is no problem (a network error).
 */
export function problemNotice(error: unknown, t: TFunction): ProblemNotice {
  if (!isProblem(error)) {
    return { message: t('common.unexpectedError') };
  }
  const title = t(`problems.${problemKey(error.type, error.status)}`);
  return error.detail ? { title, message: error.detail } : { message: title };
}
