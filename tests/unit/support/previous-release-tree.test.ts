import { expect } from 'chai';
import { containsTree } from '../../support/previous-release.js';

const lock = (packages: Record<string, string>) =>
  JSON.stringify({
    packages: Object.fromEntries(
      Object.entries(packages).map(([path, version]) => [path, { version }]),
    ),
  });

describe("the previous release on this checkout's node_modules", () => {
  const previous = lock({
    '': '0.1.0',
    'node_modules/a': '1.0.0',
    'node_modules/b': '2.0.0',
    'node_modules/b/node_modules/a': '0.9.0',
  });

  it('is allowed when every package it locks is installed here at the same place and version', () => {
    const current = lock({
      '': '0.2.0',
      'node_modules/a': '1.0.0',
      'node_modules/b': '2.0.0',
      'node_modules/b/node_modules/a': '0.9.0',
      'node_modules/c': '3.0.0',
    });
    expect(containsTree(previous, current)).to.equal(true);
  });

  it('is refused when a package it locks has another version here, or is missing', () => {
    expect(
      containsTree(
        previous,
        lock({
          'node_modules/a': '1.0.1',
          'node_modules/b': '2.0.0',
          'node_modules/b/node_modules/a': '0.9.0',
        }),
      ),
    ).to.equal(false);
    expect(
      containsTree(previous, lock({ 'node_modules/a': '1.0.0', 'node_modules/b': '2.0.0' })),
    ).to.equal(false);
  });

  it('is refused when this tree nests a package inside one of its packages, changing what it resolves', () => {
    const current = lock({
      'node_modules/a': '1.0.0',
      'node_modules/b': '2.0.0',
      'node_modules/b/node_modules/a': '0.9.0',
      'node_modules/a/node_modules/b': '1.5.0',
    });
    expect(containsTree(previous, current)).to.equal(false);
  });
});
