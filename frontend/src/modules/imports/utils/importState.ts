import type { ImportRead, JobStatus } from '@/client';

export const STATUS_COLOR: Record<JobStatus, string> = { queued: 'gray', running: 'blue', succeeded: 'teal', failed: 'red' };

/** How often a running import is asked for its progress. */
export const POLL_MS = 1000;

export function isFinished(job: Pick<ImportRead, 'status'>): boolean {
  return job.status === 'succeeded' || job.status === 'failed';
}

/** The next poll in ms, or false once the job is over (the answer cannot change any more). */
export function pollInterval(job: Pick<ImportRead, 'status'> | undefined): number | false {
  return job && isFinished(job) ? false : POLL_MS;
}

/** The bar's value, 0–100: the share of the file read; a finished job is full. */
export function percentDone(job: Pick<ImportRead, 'status' | 'progress'>): number {
  if (job.status === 'succeeded') return 100;
  return Math.round(Math.min(Math.max(job.progress, 0), 1) * 100);
}

/** What the error report preview shows at most; more is only in the download. */
export const PREVIEW_ROWS = 20;

/**
 * The report is fetched for the preview only when it is small: it is streamed whole, and a
 * large one belongs in a spreadsheet (the download).
 */
export const PREVIEW_MAX_FAILED = 200;

export function showsErrorPreview(job: Pick<ImportRead, 'status' | 'failed'>): boolean {
  return isFinished(job) && job.failed > 0 && job.failed <= PREVIEW_MAX_FAILED;
}

/** The CSV report's address (same origin, the session cookie signs the download in). */
export function errorReportUrl(job: Pick<ImportRead, 'errors_url'>): string {
  return `${job.errors_url}?format=csv`;
}
