import { setupServer } from 'msw/node';

/** Every test's HTTP goes through msw; a test adds the handlers it needs with server.use(). */
export const server = setupServer();
