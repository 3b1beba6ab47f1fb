/**
 * Writes the GraphQL SDL to schema/schema.graphql. Run after changing a resolver or type:
 *   npm run build && node dist/scripts/emit-schema.js
 * tests/unit/graphql/schema-drift.test.ts fails while the committed file differs.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPaddockSchema } from '../src/resolvers/build-schema.js';
import { printPaddockSchema } from '../src/resolvers/print-schema.js';

// Compiled into some outDir (dist/, .build/x/); the repository root is the nearest folder
// above it with a package.json.
let root = dirname(fileURLToPath(import.meta.url));
while (!existsSync(join(root, 'package.json'))) {
  const up = resolve(root, '..');
  if (up === root) throw new Error('cannot find the repository root');
  root = up;
}
const target = join(root, 'schema', 'schema.graphql');
await writeFile(target, printPaddockSchema(await buildPaddockSchema()), 'utf8');
process.stdout.write(`wrote ${target}\n`);
