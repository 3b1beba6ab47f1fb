import { expect } from 'chai';
import { FilterParser } from 'ldapts';
import {
  and,
  configuredFilter,
  contains,
  equals,
  escapeFilterValue,
  extensibleMatch,
  or,
} from '../../../src/identity/ldap/ldap-filter.js';

describe('LDAP filter building', () => {
  it('escapes the five RFC 4515 characters', () => {
    expect(escapeFilterValue('*()\\\0')).to.equal('\\2a\\28\\29\\5c\\00');
  });

  it('leaves other characters, non-ASCII included, as they are', () => {
    expect(escapeFilterValue("Zoë O'Brien, ünïcode & = | ! ~")).to.equal(
      "Zoë O'Brien, ünïcode & = | ! ~",
    );
  });

  it('escapes a value that looks escaped again, so it is matched literally', () => {
    expect(escapeFilterValue('\\2a')).to.equal('\\5c2a');
  });

  it('turns an injection attempt into one equality assertion on the whole value', () => {
    const filter = equals('uid', 'alice)(uid=*');
    expect(filter).to.equal('(uid=alice\\29\\28uid=\\2a)');
    const parsed = FilterParser.parseString(filter) as unknown as {
      attribute: string;
      value: string;
    };
    expect(parsed.constructor.name).to.equal('EqualityFilter');
    expect(parsed.value).to.equal('alice)(uid=*');
  });

  it('round-trips every special character through the ldapts parser unchanged', () => {
    const raw = 'a*b(c)d\\e\0f ü';
    const parsed = FilterParser.parseString(equals('cn', raw)) as unknown as { value: string };
    expect(parsed.value).to.equal(raw);
  });

  it('keeps the query of a substring search literal between the wildcards', () => {
    const filter = contains('cn', '*(x)*');
    expect(filter).to.equal('(cn=*\\2a\\28x\\29\\2a*)');
    const parsed = FilterParser.parseString(filter) as unknown as { any: string[] };
    expect(parsed.any).to.deep.equal(['*(x)*']);
  });

  it('builds the in-chain extensible match with an escaped DN', () => {
    expect(extensibleMatch('member', '1.2.840.113556.1.4.1941', 'CN=a (b),DC=x')).to.equal(
      '(member:1.2.840.113556.1.4.1941:=CN=a \\28b\\29,DC=x)',
    );
  });

  it('rejects attribute names and rules that would be filter syntax', () => {
    expect(() => equals('uid)(cn', 'x')).to.throw(TypeError);
    expect(() => extensibleMatch('member', '1.2)(x', 'v')).to.throw(TypeError);
  });

  it('combines parts, dropping empty ones and not wrapping a single part', () => {
    expect(and('(a=1)', undefined, '')).to.equal('(a=1)');
    expect(and('(a=1)', '(b=2)')).to.equal('(&(a=1)(b=2))');
    expect(or('(a=1)', '(b=2)')).to.equal('(|(a=1)(b=2))');
  });

  it('wraps a bare configured filter and rejects an unbalanced one', () => {
    expect(configuredFilter('objectClass=person')).to.equal('(objectClass=person)');
    expect(configuredFilter(' (&(a=1)(b=2)) ')).to.equal('(&(a=1)(b=2))');
    expect(configuredFilter(undefined)).to.equal(undefined);
    expect(configuredFilter('  ')).to.equal(undefined);
    expect(() => configuredFilter('(a=1))(|(b=2)')).to.throw(TypeError);
    expect(() => configuredFilter('(a=1)(b=2)')).to.throw(TypeError);
    expect(() => configuredFilter('(&(a=1)')).to.throw(TypeError);
    expect(configuredFilter('(cn=a\\29b)')).to.equal('(cn=a\\29b)');
  });
});
