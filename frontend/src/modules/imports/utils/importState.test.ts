import { describe, expect, it } from 'vitest';

import { errorReportUrl, percentDone, pollInterval, POLL_MS, showsErrorPreview } from './importState';
import { parseImportSearch } from './parseImportSearch';

describe('import state', () => {
  it('polls until the job has finished', () => {
    expect(pollInterval(undefined)).toBe(POLL_MS);
    expect(pollInterval({ status: 'queued' })).toBe(POLL_MS);
    expect(pollInterval({ status: 'running' })).toBe(POLL_MS);
    expect(pollInterval({ status: 'succeeded' })).toBe(false);
    expect(pollInterval({ status: 'failed' })).toBe(false);
  });

  it('fills the bar by the share read, and fully once done', () => {
    expect(percentDone({ status: 'running', progress: 0.424 })).toBe(42);
    expect(percentDone({ status: 'running', progress: 1.7 })).toBe(100);
    // The job reports at most 0.99 while it runs; done is done.
    expect(percentDone({ status: 'succeeded', progress: 0.99 })).toBe(100);
    expect(percentDone({ status: 'failed', progress: 0.5 })).toBe(50);
  });

  it('previews only a small report of a finished import', () => {
    expect(showsErrorPreview({ status: 'running', failed: 3 })).toBe(false);
    expect(showsErrorPreview({ status: 'succeeded', failed: 0 })).toBe(false);
    expect(showsErrorPreview({ status: 'succeeded', failed: 3 })).toBe(true);
    expect(showsErrorPreview({ status: 'succeeded', failed: 201 })).toBe(false);
  });

  it('downloads the report as CSV', () => {
    expect(errorReportUrl({ errors_url: '/api/v1/imports/j1/errors' })).toBe('/api/v1/imports/j1/errors?format=csv');
  });

  it('keeps a job id from the URL only when it is a UUID', () => {
    expect(parseImportSearch({ job: '0F8FAD5B-D9CB-469F-A165-70867728950E' })).toEqual({
      job: '0f8fad5b-d9cb-469f-a165-70867728950e',
    });
    expect(parseImportSearch({ job: '../etc' })).toEqual({});
    expect(parseImportSearch({})).toEqual({});
  });
});
