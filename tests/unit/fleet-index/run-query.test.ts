import { expect } from 'chai';
import type { FleetOrder } from '../../../src/domain/fleet-index.js';
import type { KubeObject } from '../../../src/domain/kube-api.js';
import { type AccessScope, KindTable, type Row, runQuery } from '../../../src/fleet-index/index.js';
import { prepareFilter } from '../../../src/fleet-index/query/row-filter.js';

const phases = ['Running', 'Running', 'Running', 'Pending', 'Failed'];

function pod(ns: string, i: number): KubeObject {
  return {
    metadata: {
      name: `pod-${String(i).padStart(4, '0')}`,
      namespace: ns,
      creationTimestamp: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      labels: { team: i % 3 === 0 ? 'payments' : 'shop', app: `a${i % 10}` },
    },
    status: {
      phase: phases[i % phases.length],
      containerStatuses: [{ restartCount: i % 7 }],
      conditions: [{ type: 'Ready', status: i % 2 === 0 ? 'True' : 'False' }],
    },
  };
}

/** 3 clusters × 4 namespaces × `per` pods. */
function fleet(per: number): KindTable {
  const table = new KindTable('pods');
  let i = 0;
  for (const c of ['c1', 'c2', 'c3'])
    for (const ns of ['ns-a', 'ns-b', 'ns-c', 'ns-d'])
      for (let k = 0; k < per; k++) table.put(c, pod(ns, i++));
  return table;
}

const all: AccessScope = { all: true, namespaces: new Set() };
const half: AccessScope = { all: false, namespaces: new Set(['ns-a', 'ns-b']) };
const ids = (rows: readonly Row[]) => rows.map((r) => `${r.clusterId}/${r.key}`);

function everything(
  table: KindTable,
  access: Map<string, AccessScope>,
  order: FleetOrder,
  first: number,
  filter = {},
) {
  const seen: Row[] = [];
  let after: string | undefined;
  for (let n = 0; n < 1000; n++) {
    const page = runQuery({
      table,
      access,
      liveRows: [],
      filter: prepareFilter(filter, undefined, undefined),
      order,
      first,
      ...(after === undefined ? {} : { after }),
    });
    seen.push(...page.rows);
    if (!page.hasNextPage) return seen;
    after = page.endCursor ?? undefined;
  }
  throw new Error('no end');
}

/** The same answer computed the obvious way: every row, filtered, sorted. */
function brute(
  table: KindTable,
  access: Map<string, AccessScope>,
  keep: (r: Row) => boolean,
  compare: (a: Row, b: Row) => number,
) {
  const rows: Row[] = [];
  for (const c of access.keys())
    for (const r of table.clusterRows(c)) {
      const s = access.get(c)!;
      if ((s.all || s.namespaces.has(r.namespace)) && keep(r)) rows.push(r);
    }
  return rows.sort(compare);
}

describe('fleet index queries', () => {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byCluster = (a: Row, b: Row) => cmp(a.clusterId, b.clusterId) || cmp(a.key, b.key);

  for (const per of [20, 400]) {
    // 240 rows are filtered and sorted; 4,800 rows make the planner walk the sorted order.
    it(`pages through ${per * 12} pods in every order without skipping or repeating`, () => {
      const table = fleet(per);
      const access = new Map([
        ['c1', all],
        ['c2', half],
        ['c3', all],
      ]);
      const newest = (a: Row, b: Row) => b.createdAt - a.createdAt || byCluster(b, a);
      const byName = (a: Row, b: Row) => cmp(a.name, b.name) || byCluster(a, b);
      expect(
        ids(everything(table, access, { field: 'CLUSTER', descending: false }, 37)),
      ).to.deep.equal(ids(brute(table, access, () => true, byCluster)));
      expect(
        ids(
          everything(table, access, { field: 'CREATED', descending: true }, 50, {
            notPhases: ['Running'],
          }),
        ),
      ).to.deep.equal(ids(brute(table, access, (r) => r.phase !== 'Running', newest)));
      expect(
        ids(
          everything(table, access, { field: 'NAME', descending: false }, 100, {
            labelSelector: 'team=payments',
          }),
        ),
      ).to.deep.equal(ids(brute(table, access, (r) => r.labels.team === 'payments', byName)));
    });
  }

  it('gives the same pages when the matches sit at the far end of the order as when they are spread', () => {
    // 600 of 4,800 rows match: the planner walks the name order within a budget, finds none
    // of them there (they are the last names), and filters the candidates instead.
    const table = new KindTable('pods');
    for (let i = 0; i < 4_800; i++) {
      const o = pod('ns-a', i);
      o.metadata.labels = { tier: i >= 4_200 ? 'late' : i % 8 === 0 ? 'spread' : 'other' };
      table.put(`c${i % 3}`, o);
    }
    const access = new Map([
      ['c0', all],
      ['c1', all],
      ['c2', all],
    ]);
    const byName = (a: Row, b: Row) => cmp(a.name, b.name) || byCluster(a, b);
    for (const tier of ['late', 'spread']) {
      expect(
        ids(
          everything(table, access, { field: 'NAME', descending: false }, 10, {
            labelSelector: `tier=${tier}`,
          }),
        ),
      ).to.deep.equal(ids(brute(table, access, (r) => r.labels.tier === tier, byName)));
    }
  });

  it('counts facets over what the caller may see only', () => {
    const table = fleet(10);
    const page = runQuery({
      table,
      access: new Map([['c2', half]]),
      liveRows: [],
      filter: prepareFilter({ namespaces: ['ns-a', 'ns-c'] }, undefined, undefined),
      order: { field: 'CLUSTER', descending: false },
      first: 5,
    });
    expect(page.totalCount()).to.equal(10);
    expect(page.facets().clusters).to.deep.equal([{ value: 'c2', count: 10 }]);
    expect(page.facets().namespaces).to.deep.equal([{ value: 'ns-a', count: 10 }]);
    expect(page.facets().phases.reduce((n, p) => n + p.count, 0)).to.equal(10);
  });

  it('keeps its orders current as rows change, move and go', () => {
    const table = fleet(100);
    const access = new Map([['c1', all]]);
    const order: FleetOrder = { field: 'RESTARTS', descending: true };
    everything(table, access, order, 10);
    const moved = pod('ns-a', 5);
    (moved.status as { containerStatuses: { restartCount: number }[] })
      .containerStatuses[0]!.restartCount = 99;
    table.put('c1', moved);
    table.remove('c1', pod('ns-b', 101));
    const first = everything(table, access, order, 10);
    expect(first[0]?.name).to.equal('pod-0005');
    expect(first[0]?.restarts).to.equal(99);
    expect(first.find((r) => r.name === 'pod-0101')).to.equal(undefined);
    expect(first).to.have.length(399);
  });

  it('refuses a cursor made for another order', () => {
    const table = fleet(5);
    const access = new Map([['c1', all]]);
    const page = runQuery({
      table,
      access,
      liveRows: [],
      filter: prepareFilter({}, undefined, undefined),
      order: { field: 'NAME', descending: false },
      first: 2,
    });
    expect(() =>
      runQuery({
        table,
        access,
        liveRows: [],
        filter: prepareFilter({}, undefined, undefined),
        order: { field: 'CREATED', descending: false },
        first: 2,
        after: page.endCursor!,
      }),
    ).to.throw('invalid cursor');
  });
});
