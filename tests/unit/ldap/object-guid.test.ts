import { expect } from 'chai';
import { formatObjectGuid, parseObjectGuid } from '../../../src/identity/ldap/object-guid.js';

describe('objectGUID', () => {
  // Microsoft's documented example: bytes as stored vs the string AD tools show.
  const bytes = Buffer.from('0ae9d9b8e4c5a04b9b6b8e04d4ffa11c', 'hex');
  const text = 'b8d9e90a-c5e4-4ba0-9b6b-8e04d4ffa11c';

  it('formats the first three fields little-endian, the rest as stored', () => {
    expect(formatObjectGuid(bytes)).to.equal(text);
  });

  it('parses the canonical string back to the stored bytes, in any case', () => {
    expect(parseObjectGuid(text).equals(bytes)).to.equal(true);
    expect(parseObjectGuid(text.toUpperCase()).equals(bytes)).to.equal(true);
  });

  it('rejects values that are not GUIDs', () => {
    expect(() => formatObjectGuid(Buffer.alloc(15))).to.throw(TypeError);
    expect(() => parseObjectGuid('*')).to.throw(TypeError);
    expect(() => parseObjectGuid(`${text})(cn=*`)).to.throw(TypeError);
  });
});
