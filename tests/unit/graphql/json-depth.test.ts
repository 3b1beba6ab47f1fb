import { expect } from 'chai';
import { documentNestingDepth, exceedsJsonDepth } from '../../../src/server/graphql/json-depth.js';

function nestedArrays(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('request nesting limits', () => {
  it('accepts JSON exactly at the limit and refuses one level more', () => {
    expect(exceedsJsonDepth(nestedArrays(64), 64)).to.equal(false);
    expect(exceedsJsonDepth(nestedArrays(65), 64)).to.equal(true);
    expect(exceedsJsonDepth({ a: { b: 'x' }, c: [1, 2, { d: null }] }, 3)).to.equal(false);
    expect(exceedsJsonDepth({ a: { b: {} } }, 2)).to.equal(true);
    expect(exceedsJsonDepth('flat', 0)).to.equal(false);
  });

  it('walks 100 000 levels without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(exceedsJsonDepth(deep, 64)).to.equal(true);
  });

  it('measures a document’s nesting outside strings, block strings and comments', () => {
    expect(documentNestingDepth('{ a(x: [[1]]) { b } }')).to.equal(4);
    expect(documentNestingDepth('{ a(x: "[[[[{{{{") }')).to.equal(2);
    expect(documentNestingDepth('{ a(x: """ [[[ \\""" ((( """) }')).to.equal(2);
    expect(documentNestingDepth('# {{{{{{\n{ a }')).to.equal(1);
    expect(documentNestingDepth(`{ a(x: ${'['.repeat(3000)}${']'.repeat(3000)}) }`)).to.equal(3002);
  });
});
