import { describe, expect, it } from 'vitest';

import type { Prospect } from '@/client';

import { prospectName, prospectReason, prospectValue } from './prospects';

const base: Prospect = {
  contact_id: '9f1d2c3b-4a5e-4f60-8a7b-1c2d3e4f5a6b',
  confidence: 0.6667,
  because_of: '0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
  because_of_sku: 'FR-5AX-200',
  because_of_name: 'Fräse 5-Achs 200',
  reason: '2 of 3 customers who bought Fräse 5-Achs 200 also bought it',
  first_name: 'Anna',
  last_name: 'Becker',
  company: null,
  abc_class: 'A',
  currency: 'EUR',
  net_value: '1200.50',
  clv: '2400.00',
  clv_currency: 'USD',
};

describe('prospectValue', () => {
  it('shows the predicted CLV in the run currency when there is one', () => {
    expect(prospectValue(base)).toEqual({ kind: 'clv', amount: '2400.00', currency: 'USD' });
  });

  it('falls back to the net value in the order currency without a CLV', () => {
    expect(prospectValue({ ...base, clv: null, clv_currency: null })).toEqual({
      kind: 'netValue',
      amount: '1200.50',
      currency: 'EUR',
    });
  });

  it('has nothing to show for a customer analytics has not heard of', () => {
    expect(prospectValue({ ...base, clv: null, clv_currency: null, net_value: null, currency: null })).toBeNull();
  });
});

describe('prospectName', () => {
  it('joins first and last name', () => {
    expect(prospectName(base)).toBe('Anna Becker');
  });

  it('is null without a name so the page can say so', () => {
    expect(prospectName({ ...base, first_name: null, last_name: null })).toBeNull();
  });
});

describe('prospectReason', () => {
  it('names the owned product and the share of its buyers in whole percent', () => {
    expect(prospectReason(base)).toEqual({ product: 'Fräse 5-Achs 200', percent: 67 });
  });

  it('names the product by its SKU until its name is known', () => {
    expect(prospectReason({ ...base, because_of_name: null, confidence: 0.25 })).toEqual({
      product: 'FR-5AX-200',
      percent: 25,
    });
  });
});
