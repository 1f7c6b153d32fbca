// Adds up the gzipped JavaScript a page needs before it is usable: the entry, the route
// chunks of the page (and of its layouts) and everything they import statically.
// usage: node scripts/initial-js-size.mjs [route-file …]   (after `npm run build`)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const DIST = new URL('../dist/', import.meta.url);
/** @type {Record<string, { file: string; imports?: string[] }>} */
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', DIST), 'utf8'));
const routes = process.argv.slice(2);
const pages = routes.length > 0 ? routes : ['src/routes/_app.tsx', 'src/routes/_app/contacts/index.tsx'];

/** @type {Set<string>} */
const seen = new Set();
/** @param {string} key */
function collect(key) {
  if (seen.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the build manifest: ${key}`);
  seen.add(key);
  for (const imported of chunk.imports ?? []) collect(imported);
}

/** @param {string} key */
function fileOf(key) {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`not in the build manifest: ${key}`);
  return chunk.file;
}
collect('index.html');
for (const page of pages) collect(`${page}?tsr-split=component`);

let total = 0;
for (const key of seen) {
  const file = fileOf(key);
  const size = gzipSync(readFileSync(new URL(file, DIST))).length;
  total += size;
  console.log(`${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
}
console.log(`${(total / 1024).toFixed(1).padStart(8)} KB  initial JS, gzipped: ${pages.join(' + ')}`);
