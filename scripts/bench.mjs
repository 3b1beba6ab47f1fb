#!/usr/bin/env node
// Runs the compiled benchmarks: `npm run bench` runs every bench/<name>/main.ts in turn,
// `npm run bench -- proxy` only bench/proxy. Each prints ratios against a peer measured in the
// same run; see bench/README.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const compiled = join(root, 'dist', 'bench');
const available = existsSync(compiled)
  ? readdirSync(compiled).filter((name) => existsSync(join(compiled, name, 'main.js')))
  : [];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0 || available.length === 0) {
  console.error(
    `bench: ${unknown.length > 0 ? `unknown benchmark ${unknown.join(', ')}` : 'no benchmarks built'}; ` +
      `available: ${available.join(', ') || '(none)'}`,
  );
  process.exit(2);
}
let status = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n== bench/${name}`);
  const run = spawnSync(process.execPath, [join(compiled, name, 'main.js'), ...flags], {
    cwd: root,
    stdio: 'inherit',
  });
  status ||= run.status ?? 1;
}
process.exit(status);
