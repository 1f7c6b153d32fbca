import { fileURLToPath, URL } from 'node:url';

import { tanstackRouter } from '@tanstack/router-plugin/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The gateway serves the built app in production; in development and preview the API is proxied to it.
const gateway = process.env.TREUE_GATEWAY_URL ?? 'http://127.0.0.1:8000';
const proxy = { '/api': { target: gateway, changeOrigin: false } };

export default defineConfig({
  plugins: [
    // Before react(): it turns src/routes into routeTree.gen.ts and splits each route's component off.
    tanstackRouter({ target: 'react', autoCodeSplitting: true }),
    react(),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: { proxy },
  preview: { proxy },
  // The manifest lets scripts/initial-js-size.mjs add up what a page loads before it is usable.
  build: { manifest: true, reportCompressedSize: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Typing tests take seconds on a busy shared machine; 5 s (the default) made them flaky.
    testTimeout: 20_000,
  },
});
