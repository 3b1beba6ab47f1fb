import { expect } from 'chai';
import type { Entry } from 'ldapts';
import { walkNestedGroups } from '../../../src/identity/ldap/nested-groups.js';

/** child DN → parent DNs, like `member` values seen from below. */
function directory(edges: Record<string, string[]>) {
  const calls: string[][] = [];
  const lookup = async (dns: readonly string[]): Promise<Entry[]> => {
    calls.push([...dns]);
    const parents = new Set(dns.flatMap((dn) => edges[dn.toLowerCase()] ?? []));
    return [...parents].map((dn) => ({ dn }));
  };
  return { lookup, calls };
}

const names = (entries: Entry[]) => entries.map((e) => e.dn).sort();

describe('nested group walk', () => {
  it('collects ancestors level by level', async () => {
    const dir = directory({ 'cn=a': ['cn=b'], 'cn=b': ['cn=c'], 'cn=c': ['cn=d'] });
    const all = await walkNestedGroups([{ dn: 'cn=a' }], dir.lookup, { maxDepth: 10 });
    expect(names(all)).to.deep.equal(['cn=a', 'cn=b', 'cn=c', 'cn=d']);
    expect(dir.calls).to.deep.equal([['cn=a'], ['cn=b'], ['cn=c'], ['cn=d']]);
  });

  it('stops after maxDepth levels', async () => {
    const dir = directory({ 'cn=a': ['cn=b'], 'cn=b': ['cn=c'], 'cn=c': ['cn=d'] });
    const all = await walkNestedGroups([{ dn: 'cn=a' }], dir.lookup, { maxDepth: 2 });
    expect(names(all)).to.deep.equal(['cn=a', 'cn=b', 'cn=c']);
    expect(dir.calls).to.have.length(2);
  });

  it('visits each group of a cycle once and terminates', async () => {
    const dir = directory({ 'cn=a': ['cn=b'], 'cn=b': ['cn=c'], 'cn=c': ['CN=A'] });
    const all = await walkNestedGroups([{ dn: 'cn=a' }], dir.lookup, { maxDepth: 50 });
    expect(names(all)).to.deep.equal(['cn=a', 'cn=b', 'cn=c']);
    expect(dir.calls).to.have.length(3);
  });

  it('asks for at most batchSize groups per search', async () => {
    const direct = Array.from({ length: 5 }, (_, i) => ({ dn: `cn=g${i}` }));
    const dir = directory({});
    await walkNestedGroups(direct, dir.lookup, { maxDepth: 3, batchSize: 2 });
    expect(dir.calls.map((c) => c.length)).to.deep.equal([2, 2, 1]);
  });

  it('deduplicates direct groups that differ only in case', async () => {
    const dir = directory({});
    const all = await walkNestedGroups([{ dn: 'cn=a,dc=x' }, { dn: 'CN=A, DC=X' }], dir.lookup, {
      maxDepth: 1,
    });
    expect(all).to.have.length(1);
  });
});
