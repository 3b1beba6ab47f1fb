#!/usr/bin/env node
// Runs the compiled kubesim CLI (build first with `npm run build`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'kubesim', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`kubesim: ${cli} not found; run \`npm run build\` first\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
