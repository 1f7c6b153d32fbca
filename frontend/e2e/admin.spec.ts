import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

import { expect, type Page, type Response, test } from '@playwright/test';

import { adminCredentials } from './credentials';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { LoginPage } from './pages/LoginPage';
import { UsersPage } from './pages/UsersPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { screenshot } from './screenshots';

const run = promisify(execFile);

/** The HTTP status curl gets for GET `path` with the key: what a business system would see. */
async function curlStatus(origin: string, path: string, key: string): Promise<number> {
  const { stdout } = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    `Authorization: Bearer ${key}`,
    `${origin}${path}`,
  ]);
  return Number(stdout);
}

/** The id of what a POST to `path` created, read from its answer. */
async function createdId(response: Promise<Response>): Promise<string> {
  const body = (await (await response).json()) as { id: string };
  return body.id;
}

function posted(page: Page, path: string): Promise<Response> {
  return page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
}

type Received = { headers: IncomingHttpHeaders; body: string };

/** A subscriber on a free local port that keeps every POST it gets and answers 204. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/hooks/treue`, received, server };
}

/** Standard Webhooks: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"> with the whsec_ secret's bytes. */
function signedWith(secret: string, { headers, body }: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const message = `${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`;
  const expected = Buffer.from(createHmac('sha256', key).update(message).digest('base64'));
  return String(headers['webhook-signature'])
    .split(' ')
    .map((signature) => Buffer.from(signature.replace(/^v1,/, '')))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

test.describe('admin', () => {
  // Each flow waits on the gateway's background work (audit batches, webhook deliveries) on a busy machine.
  test.describe.configure({ timeout: 180_000 });

  test.beforeEach(async ({ page }) => {
    const login = new LoginPage(page);
    await login.open();
    await login.logIn(adminCredentials());
    await expect(page.getByRole('heading', { name: /^Heute/ })).toBeVisible();
  });

  test('an API key: shown once, used with curl (200, 403 for a missing scope), revoked (401), audited', async ({
    page,
  }) => {
    const origin = new URL(page.url()).origin;
    const name = `Warenwirtschaft ${String(Date.now())}`;
    const keys = new ApiKeysPage(page);
    await keys.open();
    await expect(keys.heading).toBeVisible();

    const creating = posted(page, '/api/v1/api-keys');
    const secret = await keys.create(name, ['contacts:read']);
    const keyId = await createdId(creating);
    expect(secret).toMatch(/^treue_/);
    await screenshot(page, 'admin-api-key-secret');
    await keys.closeSecret();
    await expect(keys.row(name)).toBeVisible();
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(keys.row(name).getByRole('cell', { name: `${secret.slice(0, 12)}…` })).toBeVisible();

    expect(await curlStatus(origin, '/api/v1/contacts?limit=1', secret)).toBe(200);
    expect(await curlStatus(origin, '/api/v1/surveys', secret)).toBe(403);
    // last used is recorded on the first use: the list shows it once reloaded.
    await page.reload();
    await expect(keys.row(name).getByRole('cell', { name: 'nie' })).toHaveCount(0);
    await screenshot(page, 'admin-api-keys');

    await keys.revoke(name);
    await expect(keys.row(name).getByText(/^widerrufen/)).toBeVisible();
    expect(await curlStatus(origin, '/api/v1/contacts?limit=1', secret)).toBe(401);

    const audit = new AuditLogPage(page);
    await audit.open();
    await audit.waitFor(audit.entry('DELETE', `/api/v1/api-keys/${keyId}`));
    await audit.waitFor(audit.table.getByText(`angelegt: ${keyId}`));
  });

  test('a webhook to a local receiver: "send test event" arrives signed and shows in the delivery log', async ({
    page,
  }) => {
    const receiver = await startReceiver();
    try {
      const hooks = new WebhooksPage(page);
      await hooks.open();
      await expect(hooks.heading).toBeVisible();

      const creating = posted(page, '/api/v1/webhooks');
      const secret = await hooks.create(receiver.url, ['nps.detractor'], 'Browser-Test');
      const webhookId = await createdId(creating);
      expect(secret).toMatch(/^whsec_/);
      await expect(hooks.row(receiver.url)).toBeVisible();
      await expect(page.getByText(secret)).toHaveCount(0);

      await hooks.sendTest(receiver.url);
      await expect(page.getByText('Testereignis eingereiht')).toBeVisible();
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
      const delivered = receiver.received.at(0) ?? { headers: {}, body: '' };
      expect(delivered.headers['content-type']).toBe('application/json');
      expect(JSON.parse(delivered.body)).toMatchObject({ type: 'webhook.test' });
      expect(signedWith(secret, delivered)).toBe(true);
      expect(signedWith('whsec_' + Buffer.alloc(24).toString('base64'), delivered)).toBe(false);
      await screenshot(page, 'admin-webhooks');

      const log = await hooks.deliveries(receiver.url);
      const delivery = log.getByTestId('delivery').filter({ hasText: 'webhook.test' });
      await expect(delivery.getByText('zugestellt')).toBeVisible();
      await expect(delivery.getByRole('table', { name: 'Versuche' }).getByRole('cell', { name: '204' })).toBeVisible();
      await screenshot(page, 'admin-webhook-deliveries');
      await page.keyboard.press('Escape');

      const audit = new AuditLogPage(page);
      await audit.open();
      await audit.waitFor(audit.entry('POST', `/api/v1/webhooks/${webhookId}/test`));
      await audit.waitFor(audit.table.getByText(`angelegt: ${webhookId}`));
    } finally {
      receiver.server.close();
    }
  });

  test('a new user with a role logs in, sees no administration, and the creation is audited', async ({
    page,
    browser,
  }) => {
    const unique = String(Date.now());
    const person = {
      name: `Anna Agentin ${unique}`,
      email: `anna-${unique}@example.com`,
      role: 'Agent',
      password: 'ein-langes-passwort-1234',
    };
    const users = new UsersPage(page);
    await users.open();
    await expect(users.heading).toBeVisible();
    const creating = posted(page, '/api/v1/users');
    await users.create(person);
    const userId = await createdId(creating);
    await expect(users.row(person.email)).toBeVisible();
    await expect(users.row(person.email).getByRole('combobox', { name: `Rolle von ${person.name}` })).toHaveValue('Agent');
    await screenshot(page, 'admin-users');

    const theirs = await browser.newContext({ locale: 'de-DE', baseURL: new URL(page.url()).origin });
    const agent = await theirs.newPage();
    const login = new LoginPage(agent);
    await login.open();
    await login.logIn(person);
    await expect(agent.getByRole('heading', { name: /^Heute/ })).toBeVisible();
    await expect(agent.getByRole('navigation').getByRole('link', { name: 'Kontakte' })).toBeVisible();
    await expect(agent.getByRole('navigation').getByText('Verwaltung')).toHaveCount(0);
    await theirs.close();

    const audit = new AuditLogPage(page);
    await audit.open();
    await audit.waitFor(audit.table.getByText(`angelegt: ${userId}`));
    await audit.waitFor(audit.entry('POST', '/api/v1/auth/login').first());
    await screenshot(page, 'admin-audit-log');
  });
});
