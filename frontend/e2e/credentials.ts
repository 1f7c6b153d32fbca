import { readFileSync } from 'node:fs';

export type Credentials = { email: string; password: string };

/** TREUE_ADMIN_EMAIL/PASSWORD, else the login `make up` wrote to .run/admin-credentials. */
export function adminCredentials(): Credentials {
  const { TREUE_ADMIN_EMAIL: email, TREUE_ADMIN_PASSWORD: password } = process.env;
  if (email && password) {
    return { email, password };
  }
  const [fileEmail, filePassword] = readFileSync(new URL('../../.run/admin-credentials', import.meta.url), 'utf8')
    .trim()
    .split('\n');
  if (!fileEmail || !filePassword) {
    throw new Error('no admin login: set TREUE_ADMIN_EMAIL and TREUE_ADMIN_PASSWORD or run make up');
  }
  return { email: fileEmail.trim(), password: filePassword.trim() };
}
