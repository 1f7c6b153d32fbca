import { expect, test } from '@playwright/test';

import { createContact } from './api';
import { adminCredentials } from './credentials';
import { ContactsPage } from './pages/ContactsPage';
import { LoginPage } from './pages/LoginPage';
import { screenshot } from './screenshots';

test('filter the list, save it as a segment, open the segment by its link and tag a shift-clicked range', async ({
  page,
}, testInfo) => {
  // Segment members travel analytics -> Kafka -> contacts-service; the bulk job polls once a second.
  test.setTimeout(120_000);
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const tag = `messe-${unique}`;
  const names = ['Ada', 'Bea', 'Cem'].map((first) => ({ first, last: `Segment ${unique}` }));

  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(page.getByRole('heading', { name: /^Heute/ })).toBeVisible();
  // Created one after another: the newest-first list shows them as Cem, Bea, Ada.
  for (const name of names) {
    await createContact(page, {
      first_name: name.first,
      last_name: name.last,
      email: `${name.first.toLowerCase()}-${unique}@example.com`,
      tags: [tag],
      lifecycle_stage: 'lead',
    });
  }
  await createContact(page, { first_name: 'Kai', last_name: `Kunde ${unique}`, tags: [tag], lifecycle_stage: 'customer' });

  const contacts = new ContactsPage(page);
  await contacts.open();
  await contacts.filterByTag(tag);
  await contacts.filterByStage('Interessent');
  await expect(contacts.table.getByRole('row')).toHaveCount(1 + names.length);
  await expect(page).toHaveURL(/stage=lead/);

  await contacts.saveAsSegment(`Messe-Leads ${unique}`);
  await expect(page.getByText(`Segment „Messe-Leads ${unique}“ mit 3 Mitgliedern gespeichert`)).toBeVisible();
  await expect(page).toHaveURL(/segment=[0-9a-f-]{36}/);
  await expect(page).not.toHaveURL(/stage=/);
  // The link alone shows the segment: open it afresh.
  await page.goto(page.url());
  await expect(contacts.segmentFilter()).toHaveValue(`Messe-Leads ${unique}`);
  for (const name of names) {
    await expect(contacts.table.getByRole('link', { name: `${name.first} ${name.last}` })).toBeVisible({ timeout: 30_000 });
  }
  await expect(contacts.table.getByRole('link', { name: `Kai Kunde ${unique}` })).toHaveCount(0);
  await screenshot(page, 'contacts-segment');

  // Cem is the first row, Ada the last: a click and a shift-click select all three.
  await contacts.rowCheckbox(`Cem Segment ${unique}`).click();
  await contacts.rowCheckbox(`Ada Segment ${unique}`).click({ modifiers: ['Shift'] });
  await expect(contacts.rowCheckbox(`Bea Segment ${unique}`)).toBeChecked();
  await expect(contacts.bulkBar()).toContainText('3 Kontakte ausgewählt');
  await screenshot(page, 'contacts-selected');

  const dialog = await contacts.bulkAddTag(`Nachfassen-${unique}`, 3);
  await expect(dialog.getByRole('status')).toContainText('3 Kontakte geändert', { timeout: 30_000 });
  await screenshot(page, 'contacts-bulk-done');
  await dialog.getByRole('button', { name: 'Schließen' }).click();
  for (const name of names) {
    const row = contacts.table.getByRole('row').filter({ hasText: `${name.first} ${name.last}` });
    await expect(row).toContainText(`nachfassen-${unique}`);
  }
});
