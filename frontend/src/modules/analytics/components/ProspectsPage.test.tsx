import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';

import { renderInRouter } from '@/test/renderInRouter';
import { API_ORIGIN } from '@/test/renderWithProviders';
import { server } from '@/test/server';

import { ProspectsView } from './ProspectsPage';

const PRODUCT = '46db5b60-f57b-4640-969a-e31f87454213';
const ANNA = '9f1d2c3b-4a5e-4f60-8a7b-1c2d3e4f5a6b';

const prospect = {
  contact_id: ANNA,
  confidence: 0.6667,
  because_of: '0b8e7d6c-5a4f-4e3d-9c2b-1a0f9e8d7c6b',
  because_of_sku: 'FR-5AX-200',
  because_of_name: 'Fräse 5-Achs 200',
  reason: '2 of 3 customers who bought Fräse 5-Achs 200 also bought it',
  first_name: 'Anna',
  last_name: 'Becker',
  company: 'Becker Metallbau GmbH',
  abc_class: 'A',
  currency: 'EUR',
  net_value: '1200.50',
  clv: null,
  clv_currency: null,
};

function answer(items: unknown[], status = 200) {
  server.use(
    http.get(`${API_ORIGIN}/api/v1/products/${PRODUCT}`, () =>
      HttpResponse.json({ id: PRODUCT, sku: 'MA-DMU50', name: 'DMU 50', price: '1.00', unit_cost: '0.50', currency: 'EUR', active: true }),
    ),
    http.get(`${API_ORIGIN}/api/v1/analytics/products/${PRODUCT}/prospects`, () =>
      status === 200
        ? HttpResponse.json({ product_id: PRODUCT, items })
        : HttpResponse.json({ type: 'about:blank', title: 'Forbidden', status, detail: 'missing scope analytics:read' }, { status }),
    ),
  );
}

describe('ProspectsView', () => {
  it('lists each customer with a link to their 360° page, why in German, and their value', async () => {
    answer([prospect]);
    await renderInRouter(<ProspectsView productId={PRODUCT} />, 'de');

    expect(await screen.findByRole('heading', { level: 1, name: 'Wem DMU 50 (MA-DMU50) anbieten?' })).toBeInTheDocument();
    const link = await screen.findByRole('link', { name: 'Anna Becker' });
    expect(link).toHaveAttribute('href', `/contacts/${ANNA}`);
    expect(screen.getByText('Becker Metallbau GmbH')).toBeInTheDocument();
    expect(screen.getByText('Hat Fräse 5-Achs 200 gekauft; 67 % der Käufer davon kauften auch dieses Produkt.')).toBeInTheDocument();
    // In its column on a wide screen and under the name on a phone (CSS shows one of the two).
    expect(screen.getAllByText('1.200,50 €')).toHaveLength(2);
    expect(screen.getByText('Nettowert bisher')).toBeInTheDocument();
  });

  it('says why nobody is listed when there are no prospects', async () => {
    answer([]);
    await renderInRouter(<ProspectsView productId={PRODUCT} />);

    expect(await screen.findByText(/Nobody to suggest/)).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it("shows the API's problem with a retry instead of an empty list", async () => {
    answer([], 403);
    await renderInRouter(<ProspectsView productId={PRODUCT} />);

    expect(await screen.findByText('missing scope analytics:read')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
