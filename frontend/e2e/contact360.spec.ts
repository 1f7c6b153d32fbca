import { expect, test, type Page } from '@playwright/test';

import { adminCredentials } from './credentials';
import { ContactPage } from './pages/ContactPage';
import { ContactsPage } from './pages/ContactsPage';
import { LoginPage } from './pages/LoginPage';
import { screenshot } from './screenshots';

type Customer = { contact_id: string; first_name: string; last_name: string; churn_drivers: string[] | null };

/** The demo customer analytics rates most at risk (make up seeds some with reasons). */
async function riskiestCustomer(page: Page): Promise<Customer> {
  const response = await page.request.get('/api/v1/analytics/customers?sort=-churn_risk&limit=1');
  expect(response.ok()).toBe(true);
  const { items } = (await response.json()) as { items: Customer[] };
  const [customer] = items;
  if (!customer) throw new Error('no customer at risk: run make up (it seeds them)');
  return customer;
}

test.beforeEach(async ({ page }) => {
  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(page.getByRole('heading', { name: /^Heute/ })).toBeVisible();
});

test('the 360° page shows the churn risk with its reasons, the offers with their why, tasks and NPS', async ({ page }) => {
  const customer = await riskiestCustomer(page);
  const contact = new ContactPage(page);
  await contact.open(customer.contact_id);

  await expect(contact.heading(`${customer.first_name} ${customer.last_name}`)).toBeVisible();
  await expect(page.getByText(/^hoch · /)).toBeVisible();
  await expect(contact.churnRisk.getByRole('listitem')).toHaveCount(customer.churn_drivers?.length ?? 0);
  await expect(contact.churnRisk).toContainText('Letzte NPS-Antwort war kritisch');
  await expect(contact.offers.getByRole('listitem').first()).toContainText(/der Käufer von .+ kauften auch dies/);
  await expect(page.getByRole('list', { name: 'NPS-Verlauf' }).getByRole('listitem').first()).toBeVisible();
  await expect(contact.tasks.getByRole('listitem').first()).toBeVisible();
  // Analytics' flag of the risk crossing its threshold is on the timeline too.
  await expect(contact.timeline.getByText(/^Abwanderungsrisiko gestiegen auf \d+\s%/).first()).toBeVisible();
  await screenshot(page, 'contact-360');

  // The riskiest customer need not hold a contract; the demo data has contracts for others.
  const contracts = await page.request.get('/api/v1/contracts?limit=1');
  expect(contracts.ok()).toBe(true);
  const [contract] = ((await contracts.json()) as { items: { contact_id: string }[] }).items;
  if (!contract) throw new Error('no contract: run make up (it seeds them)');
  await contact.open(contract.contact_id);
  await page.getByRole('tab', { name: 'Verträge' }).click();
  await expect(page.getByRole('listitem', { name: 'Vertrag' }).first()).toBeVisible();
  await screenshot(page, 'contact-contracts');
});

test('a former customer’s timeline says when and why they left', async ({ page }) => {
  const formers = await page.request.get('/api/v1/contacts?lifecycle_stage=churned&sort=created_at&limit=20');
  expect(formers.ok()).toBe(true);
  const { items } = (await formers.json()) as { items: { id: string }[] };
  // A seeded one (the oldest first) whose churn is among the 25 entries the page shows first
  // (newer orders may push it further down).
  let former: { id: string } | undefined;
  for (const candidate of items) {
    const timeline = await page.request.get(`/api/v1/contacts/${candidate.id}/timeline?limit=25`);
    const entries = ((await timeline.json()) as { items: { kind: string }[] }).items;
    if (entries.some((entry) => entry.kind === 'lifecycle')) {
      former = candidate;
      break;
    }
  }
  if (!former) throw new Error('no former customer with a churn on the timeline: run make up (it seeds them)');
  const contact = new ContactPage(page);
  await contact.open(former.id);

  await expect(contact.timeline.getByText(/^Abgewandert: .+ — .+/).first()).toBeVisible();
  await screenshot(page, 'contact-churn-history');
});

test('edit a contact: a taken e-mail shows at the field; record an order, add a task, churn and win back', async ({
  page,
}, testInfo) => {
  // Several round trips through a stack that shares a small machine with other tests.
  test.setTimeout(180_000);
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const first = { firstName: 'Olga', lastName: `Order ${unique}`, email: `olga-${unique}@example.com` };
  const second = { firstName: 'Otto', lastName: `Order ${unique}`, email: `otto-${unique}@example.com` };
  const contacts = new ContactsPage(page);
  await contacts.open();
  await contacts.create(first);
  await expect(page.getByRole('heading', { name: `${first.firstName} ${first.lastName}` })).toBeVisible();
  await contacts.open();
  await contacts.create(second);
  const contact = new ContactPage(page);
  await expect(contact.heading(`${second.firstName} ${second.lastName}`)).toBeVisible();

  const email = await contact.editEmail(first.email);
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveAccessibleDescription(/./);
  await screenshot(page, 'contact-edit-conflict');
  await page.getByRole('dialog').getByRole('button', { name: 'Abbrechen' }).click();

  await contact.recordOrder('MA-', '2');
  await page.getByRole('tab', { name: 'Bestellungen' }).click();
  await expect(page.getByRole('table').getByRole('row')).toHaveCount(2);

  await contact.addTask('Angebot nachfassen', '2031-05-04T10:00');
  await expect(contact.tasks.getByText('Angebot nachfassen')).toBeVisible();

  const churn = await contact.openChurn();
  await churn.submit();
  await expect(churn.dialog.getByText('Bitte einen Grund wählen')).toBeVisible();
  await contact.chooseChurnReason(churn.dialog, 'Wettbewerber', 'Wechselt zu einem günstigeren Anbieter.');
  await churn.submit();
  await expect(page.getByRole('alert').filter({ hasText: 'Grund: Wettbewerber' })).toBeVisible();
  await screenshot(page, 'contact-churned');
  await page.getByRole('tab', { name: 'Verlauf' }).click();
  await expect(
    contact.timeline.getByText('Abgewandert: Wettbewerber — Wechselt zu einem günstigeren Anbieter.'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Zurückgewonnen' }).click();
  await expect(page.getByRole('button', { name: 'Als abgewandert markieren' })).toBeVisible();
  // Both stay on the timeline, the win-back on top.
  await expect(contact.timeline.getByText('Zurückgewonnen')).toBeVisible();
});
