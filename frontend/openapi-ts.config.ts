import { defineConfig } from '@hey-api/openapi-ts';

// The input is the saved merged OpenAPI of the gateway (`make frontend-client` refreshes it),
// so a build never needs a running server.
export default defineConfig({
  input: './openapi.json',
  output: { path: './src/client' },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', '@tanstack/react-query', 'zod'],
});
