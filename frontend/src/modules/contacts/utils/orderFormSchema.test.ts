import { describe, expect, it } from 'vitest';

import { toOrderCreate } from './orderFormSchema';

describe('toOrderCreate', () => {
  it('reads decimal commas, upper-cases the currency and leaves an empty price to the product', () => {
    const order = toOrderCreate('c1', {
      ordered_at: '2026-03-02T10:00',
      currency: 'eur',
      external_id: '',
      lines: [
        { product_id: 'p1', quantity: '2', unit_price: '19,90' },
        { product_id: 'p2', quantity: '1', unit_price: '' },
      ],
    });
    expect(order).toMatchObject({
      contact_id: 'c1',
      currency: 'EUR',
      external_id: null,
      lines: [
        { product_id: 'p1', quantity: '2', unit_price: '19.90' },
        { product_id: 'p2', quantity: '1', unit_price: null },
      ],
    });
    expect(order.ordered_at).toBe(new Date('2026-03-02T10:00').toISOString());
  });
});
