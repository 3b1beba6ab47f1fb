#!/usr/bin/env node
// `npm run build`'s second half: the web console. Generates typed GraphQL operations from
// schema/schema.graphql (graphql-codegen's client preset), type-checks console/ and bundles it
// with Vite into dist/console, then reports the bundle size. Skipped when nothing it reads
// changed since the last build (a hash of its inputs is kept in dist/console/.build-hash).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const out = join(root, 'dist/console');
const hashFile = join(out, '.build-hash');
const generated = join(root, 'console/src/gql');

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (full === generated) continue;
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

function inputsHash() {
  const hash = createHash('sha256');
  const inputs = [
    ...files(join(root, 'console')),
    join(root, 'schema/schema.graphql'),
    join(root, 'package-lock.json'),
    join(root, 'scripts/build-console.mjs'),
  ];
  for (const file of inputs) hash.update(relative(root, file)).update(readFileSync(file));
  return hash.digest('hex');
}

const hash = inputsHash();
if (
  process.env.PADDOCK_CONSOLE_REBUILD !== '1' &&
  existsSync(hashFile) &&
  existsSync(generated) &&
  readFileSync(hashFile, 'utf8') === hash
) {
  console.log('console: up to date (dist/console)');
  process.exit(0);
}

const started = Date.now();
const { generate } = await import('@graphql-codegen/cli');
await generate(
  {
    schema: join(root, 'schema/schema.graphql'),
    documents: [join(root, 'console/src/**/*.tsx'), join(root, 'console/src/**/*.ts')],
    ignoreNoDocuments: true,
    silent: true,
    generates: {
      [`${generated}/`]: {
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: {
          useTypeImports: true,
          enumsAsTypes: true,
          skipTypename: true,
          scalars: { DateTimeISO: 'string', JSON: 'unknown' },
        },
      },
    },
  },
  true,
);

const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'console/tsconfig.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { build } = await import('vite');
await build({ configFile: join(root, 'console/vite.config.ts') });

let raw = 0;
let gzip = 0;
const rows = [];
for (const file of files(out)) {
  if (file === hashFile) continue;
  const body = readFileSync(file);
  const zipped = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gzip += zipped;
  rows.push(`  ${relative(out, file).padEnd(44)} ${kib(body.length)} ${kib(zipped)} gzip`);
}
console.log(`console: built dist/console in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(rows.join('\n'));
console.log(`  ${'total'.padEnd(44)} ${kib(raw)} ${kib(gzip)} gzip`);
writeFileSync(hashFile, hash);

function kib(n) {
  return `${(n / 1024).toFixed(1).padStart(8)} KiB`;
}
