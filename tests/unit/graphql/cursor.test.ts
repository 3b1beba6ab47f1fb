import { expect } from 'chai';
import { decodeCursor, encodeCursor, type Page, paginate } from '../../../src/resolvers/cursor.js';

describe('keyset pagination', () => {
  const key = (s: string) => [s];

  it('walks a list page by page without skipping or repeating', () => {
    const items = ['e', 'a', 'd', 'b', 'c'];
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<string> = paginate(items, key, { first: 2, after });
      seen.push(...page.items);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
  });

  it('neither skips nor repeats when items are added or removed between pages', () => {
    const first = paginate(['a', 'b', 'c', 'd'], key, { first: 2 });
    expect(first.items).to.deep.equal(['a', 'b']);
    // "a" disappears and "aa" (sorting before the cursor) appears meanwhile.
    const second = paginate(['aa', 'b', 'c', 'd'], key, { first: 2, after: first.endCursor });
    expect(second.items).to.deep.equal(['c', 'd']);
    expect(second.hasNextPage).to.equal(false);
  });

  it('refuses a page size over the maximum', () => {
    expect(() => paginate([], key, { first: 501 })).to.throw(/between 0 and 500/);
  });

  it('refuses a cursor it did not make', () => {
    expect(() => decodeCursor('not-a-cursor')).to.throw(/invalid cursor/);
    expect(decodeCursor(encodeCursor(['x', 'y']))).to.deep.equal(['x', 'y']);
  });
});
