import { client } from '@/client/client.gen';

import { readCookie } from './readCookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The browser signs in with the HttpOnly session cookie; writes must echo the readable
 * `treue_csrf` cookie in X-CSRF-Token (double-submit), or the gateway refuses them.
 */
export function configureClient(baseUrl: string = window.location.origin): void {
  client.setConfig({ baseUrl, credentials: 'same-origin' });
  client.interceptors.request.use((request) => {
    if (!SAFE_METHODS.has(request.method)) {
      const token = readCookie('treue_csrf');
      if (token) {
        request.headers.set('X-CSRF-Token', token);
      }
    }
    return request;
  });
}
