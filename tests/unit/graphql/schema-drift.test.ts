import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { buildPaddockSchema } from '../../../src/resolvers/build-schema.js';
import { printPaddockSchema } from '../../../src/resolvers/print-schema.js';

function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = resolve(dir, '..');
    if (up === dir) throw new Error('cannot find the repository root');
    dir = up;
  }
  return dir;
}

describe('committed GraphQL schema', () => {
  it('matches the schema the resolvers build (regenerate: npm run build && node dist/scripts/emit-schema.js)', async () => {
    const committed = await readFile(join(repositoryRoot(), 'schema', 'schema.graphql'), 'utf8');
    const current = printPaddockSchema(await buildPaddockSchema());
    expect(
      current === committed,
      'schema/schema.graphql is out of date; regenerate it with `npm run build && node dist/scripts/emit-schema.js` and commit it',
    ).to.equal(true);
  });
});
