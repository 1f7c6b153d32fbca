import { expect, test } from '@playwright/test';

import { createContact } from './api';
import { adminCredentials } from './credentials';
import { ContactsPage } from './pages/ContactsPage';
import { LoginPage } from './pages/LoginPage';
import { screenshot } from './screenshots';

test('a bulk tag over all matching contacts less two unticked rows tags exactly the others', async ({ page }, testInfo) => {
  // The bulk job runs in the background and the dialog polls it once a second.
  test.setTimeout(120_000);
  const unique = `${String(Date.now())}-${String(testInfo.workerIndex)}`;
  const filterTag = `auswahl-${unique}`;
  const newTag = `rueckruf-${unique}`;
  const firsts = ['Alma', 'Bruno', 'Carla', 'Dirk', 'Eva', 'Falk'];

  await new LoginPage(page).open();
  await new LoginPage(page).logIn(adminCredentials());
  await expect(page.getByRole('heading', { name: /^Heute/ })).toBeVisible();
  const ids = new Map<string, string>();
  for (const first of firsts) {
    ids.set(first, await createContact(page, { first_name: first, last_name: `Bulk ${unique}`, tags: [filterTag] }));
  }

  const contacts = new ContactsPage(page);
  await contacts.open();
  await contacts.filterByTag(filterTag);
  await expect(contacts.table.getByRole('row')).toHaveCount(1 + firsts.length);

  await contacts.rowCheckbox(`Alma Bulk ${unique}`).click();
  await contacts.selectAllMatching(firsts.length);
  await expect(contacts.bulkBar()).toContainText(`Alle ${String(firsts.length)} passenden Kontakte sind ausgewählt`);
  const unticked = ['Bruno', 'Eva'];
  for (const first of unticked) {
    await contacts.rowCheckbox(`${first} Bulk ${unique}`).click();
    await expect(contacts.rowCheckbox(`${first} Bulk ${unique}`)).not.toBeChecked();
  }
  const expected = firsts.length - unticked.length;
  await expect(contacts.bulkBar()).toContainText(`${String(firsts.length)} − 2 = ${String(expected)} Kontakte ausgewählt`);
  await screenshot(page, 'contacts-all-matching-less-two');

  // The job goes out as the filter less the unticked ids, not as a list of ids.
  const sent = page.waitForRequest((request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/contacts/bulk');
  const dialog = await contacts.bulkAddTag(newTag, expected);
  const body = (await sent).postDataJSON() as { filter?: { tag?: string }; exclude_ids?: string[]; contact_ids?: string[] | null };
  expect(body.filter?.tag).toBe(filterTag);
  expect(body.contact_ids ?? null).toBeNull();
  expect([...(body.exclude_ids ?? [])].sort()).toEqual(unticked.map((first) => ids.get(first)).sort());
  await expect(dialog.getByRole('status')).toContainText(`${String(expected)} Kontakte geändert`, { timeout: 30_000 });
  await dialog.getByRole('button', { name: 'Schließen' }).click();

  // Through the API: exactly the four kept in the selection carry the new tag.
  const tagged = await page.request.get(`/api/v1/contacts?tag=${newTag}&limit=100`);
  expect(tagged.status()).toBe(200);
  const items = ((await tagged.json()) as { items: { id: string; first_name: string }[] }).items;
  expect(items.map((contact) => contact.first_name).sort()).toEqual(firsts.filter((first) => !unticked.includes(first)).sort());
  const count = await page.request.get(`/api/v1/contacts/count?tag=${newTag}`);
  expect(((await count.json()) as { count: number }).count).toBe(expected);
});
