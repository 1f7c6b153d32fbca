import { expect, type Page } from '@playwright/test';

/** The CSRF token of the browser's session, for writes through the API (double-submit). */
export async function csrfToken(page: Page): Promise<string> {
  return (await page.context().cookies()).find((cookie) => cookie.name === 'treue_csrf')?.value ?? '';
}

/** Creates a contact through the API with the browser's session, as the app does; answers its id. */
export async function createContact(page: Page, body: Record<string, unknown>): Promise<string> {
  const answer = await page.request.post('/api/v1/contacts', { data: body, headers: { 'X-CSRF-Token': await csrfToken(page) } });
  expect(answer.status()).toBe(201);
  return ((await answer.json()) as { id: string }).id;
}
