import { describe, expect, it } from 'vitest';

import { parseContactsSearch } from './parseContactsSearch';

describe('parseContactsSearch', () => {
  it('keeps valid filters', () => {
    const segment = '5f0c2a9e-8d7b-4c6a-b1e2-3f4a5b6c7d8e';
    expect(parseContactsSearch({ q: ' Müller ', stage: 'customer', tag: 'vip', sort: 'last_name', segment })).toEqual({
      q: 'Müller',
      stage: 'customer',
      tag: 'vip',
      sort: 'last_name',
      segment,
    });
  });

  it('drops what the API would refuse', () => {
    expect(parseContactsSearch({ q: '', stage: 'prospect', tag: 7, sort: 'email', segment: 'vip' })).toEqual({});
  });
});
