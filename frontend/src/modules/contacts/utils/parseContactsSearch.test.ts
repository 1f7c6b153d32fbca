import { describe, expect, it } from 'vitest';

import { parseContactsSearch } from './parseContactsSearch';

describe('parseContactsSearch', () => {
  it('keeps valid filters', () => {
    expect(parseContactsSearch({ q: ' Müller ', stage: 'customer', tag: 'vip', sort: 'last_name' })).toEqual({
      q: 'Müller',
      stage: 'customer',
      tag: 'vip',
      sort: 'last_name',
    });
  });

  it('drops what the API would refuse', () => {
    expect(parseContactsSearch({ q: '', stage: 'prospect', tag: 7, sort: 'email' })).toEqual({});
  });
});
