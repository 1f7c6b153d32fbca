// The generated client's doc comments link to package pages by URL; the project names no
// package registry's host in its files, so the links become plain names.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LINK = /\{@link https?:\/\/\S+ (`[^`]+`)\}/g;

function visit(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      visit(path);
    } else if (entry.name.endsWith('.ts')) {
      const text = readFileSync(path, 'utf8');
      const unlinked = text.replace(LINK, '$1');
      if (unlinked !== text) writeFileSync(path, unlinked);
    }
  }
}

visit(new URL('../src/client', import.meta.url).pathname);
