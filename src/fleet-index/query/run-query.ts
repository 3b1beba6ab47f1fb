/**
 * Answers one page of a fleet list from a kind's table (for the clusters the index decides)
 * plus rows read live (for the others). The planner starts from the smallest set of rows that
 * must contain every match: the caller's authorized namespaces, a label's postings, or the
 * rows of the asked phases. When that set is small it is filtered and sorted; when it is most
 * of the table, the order's sorted array is walked from the cursor until the page is full, so
 * neither case reads every row to show a hundred. Facets and the total count are computed on
 * demand over the same authorized matches, never over anything the caller may not see.
 */
import type { FacetCount, FleetFacets, FleetOrder } from '../../domain/fleet-index.js';
import { compareSortKeys } from '../../domain/sort-key.js';
import { type AccessScope, scopeAllows } from '../authorization/index.js';
import type { KindTable } from '../table/kind-table.js';
import type { Row } from '../table/row.js';
import {
  decodeFleetCursor,
  encodeFleetCursor,
  ROW_COMPARATORS,
  type SortTuple,
  tupleOf,
} from './orders.js';
import { matchesFilter, type PreparedFilter } from './row-filter.js';

export interface QueryInput {
  readonly table: KindTable;
  /** The clusters answered from the table, with what the caller may see in each. */
  readonly access: ReadonlyMap<string, AccessScope>;
  /** Rows read live as the caller, for the other clusters. */
  readonly liveRows: readonly Row[];
  readonly filter: PreparedFilter;
  readonly order: FleetOrder;
  readonly first: number;
  readonly after?: string;
}

export interface QueryPage {
  readonly rows: readonly Row[];
  readonly endCursor: string | null;
  readonly hasNextPage: boolean;
  facets(): FleetFacets;
  totalCount(): number;
}

/** Sets whose union holds every row that may match. */
type Source = readonly ReadonlySet<Row>[];

const sizeOf = (source: Source) => source.reduce((n, s) => n + s.size, 0);

function authorizedSource(q: QueryInput): Source {
  const sets: ReadonlySet<Row>[] = [];
  const wanted = q.filter.namespaces;
  for (const [clusterId, scope] of q.access) {
    if (scope.all && wanted === undefined) sets.push(q.table.clusterRows(clusterId));
    else {
      for (const ns of scope.all ? (wanted ?? []) : scope.namespaces) {
        if (wanted === undefined || wanted.has(ns)) sets.push(q.table.namespaceRows(clusterId, ns));
      }
    }
  }
  return sets;
}

function candidateSources(q: QueryInput): Source[] {
  const sources: Source[] = [authorizedSource(q)];
  for (const r of q.filter.labels) {
    if (r.op === 'in') sources.push(r.values.map((v) => q.table.labelRows(r.key, v)));
    if (r.op === 'exists') sources.push([q.table.labelRows(r.key)]);
  }
  if (q.filter.phases !== undefined) {
    sources.push([...q.filter.phases].map((p) => q.table.phaseRows(p)));
  }
  if (q.filter.notPhases !== undefined) {
    const excluded = q.filter.notPhases;
    sources.push(
      q.table
        .phases()
        .filter((p) => !excluded.has(p))
        .map((p) => q.table.phaseRows(p)),
    );
  }
  return sources;
}

function smallest(sources: Source[]): Source {
  let best = sources[0] ?? [];
  let bestSize = sizeOf(best);
  for (const s of sources.slice(1)) {
    const n = sizeOf(s);
    if (n < bestSize) {
      best = s;
      bestSize = n;
    }
  }
  return best;
}

export function runQuery(q: QueryInput): QueryPage {
  const { order, filter } = q;
  const compare = ROW_COMPARATORS[order.field];
  const directed = order.descending ? (a: Row, b: Row) => compare(b, a) : compare;
  const after = q.after === undefined ? undefined : decodeFleetCursor(q.after, order);
  const allowed = (row: Row) => {
    const scope = q.access.get(row.clusterId);
    return scope !== undefined && scopeAllows(scope, row.namespace);
  };
  const visible = (row: Row) => allowed(row) && matchesFilter(filter, row);
  const liveMatches = q.liveRows.filter((row) => matchesFilter(filter, row));
  const afterCursor = (row: Row) => {
    if (after === undefined) return true;
    const c = compareSortKeys(tupleOf(order.field, row), after as SortTuple);
    return order.descending ? c < 0 : c > 0;
  };

  const source = smallest(candidateSources(q));
  const candidates = sizeOf(source);
  const want = q.first + 1;
  // Walking the order's sorted array stops at a full page: about want / (share of rows that
  // match) steps. Filtering the candidates reads all of them. A large candidate set is always
  // walked; a middling one is walked within a budget of twice its size, then filtered if the
  // matches turned out to sit late in the order, so the walk never costs more than 3× the
  // filter and usually far less ("team=payments by name": 1,000 steps instead of 10,000).
  const budget =
    liveMatches.length > 0 || candidates < 256
      ? 0
      : candidates > Math.max(2_000, q.table.size / 4)
        ? Number.POSITIVE_INFINITY
        : candidates * candidates > want * q.table.size
          ? candidates * 2
          : 0;
  let page: Row[] | undefined = budget > 0 ? walkOrder(q, visible, after, want, budget) : undefined;
  if (page === undefined) {
    const matches: Row[] = [];
    for (const set of source)
      for (const row of set) if (visible(row) && afterCursor(row)) matches.push(row);
    for (const row of liveMatches) if (afterCursor(row)) matches.push(row);
    page = topK(matches, want, directed);
  }
  const hasNextPage = page.length > q.first;
  const rows = hasNextPage ? page.slice(0, q.first) : page;
  const last = rows.at(-1);

  let everything: Row[] | undefined;
  const allMatches = () => {
    everything ??= [...iterate(source, visible), ...liveMatches];
    return everything;
  };
  return {
    rows,
    endCursor: last === undefined ? null : encodeFleetCursor(order, last),
    hasNextPage,
    facets: () => facetsOf(allMatches()),
    totalCount: () => allMatches().length,
  };
}

/** The first `want` visible rows after the cursor in the order, or undefined past the budget. */
function walkOrder(
  q: QueryInput,
  visible: (row: Row) => boolean,
  after: SortTuple | undefined,
  want: number,
  budget: number,
): Row[] | undefined {
  const { field, descending } = q.order;
  const page: Row[] = [];
  const sorted = q.table.ordered(field);
  const rows = sorted.rows();
  let steps = 0;
  if (descending) {
    let i =
      after === undefined
        ? rows.length - 1
        : sorted.lowerBound((r) => compareSortKeys(tupleOf(field, r), after)) - 1;
    for (; i >= 0 && page.length < want; i--) {
      if (++steps > budget) return undefined;
      if (visible(rows[i]!)) page.push(rows[i]!);
    }
  } else {
    let i =
      after === undefined
        ? 0
        : sorted.lowerBound((r) => (compareSortKeys(tupleOf(field, r), after) <= 0 ? -1 : 1));
    for (; i < rows.length && page.length < want; i++) {
      if (++steps > budget) return undefined;
      if (visible(rows[i]!)) page.push(rows[i]!);
    }
  }
  return page;
}

function* iterate(source: Source, keep: (row: Row) => boolean): Generator<Row> {
  for (const set of source) for (const row of set) if (keep(row)) yield row;
}

/** The first `k` rows in order, without sorting all of them when there are many. */
function topK(rows: Row[], k: number, compare: (a: Row, b: Row) => number): Row[] {
  if (rows.length <= k * 4) return rows.sort(compare).slice(0, k);
  const best: Row[] = [];
  for (const row of rows) {
    if (best.length === k && compare(row, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid]!, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, row);
    if (best.length > k) best.pop();
  }
  return best;
}

function counts(values: Iterable<string>): FacetCount[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

function facetsOf(rows: readonly Row[]): FleetFacets {
  return {
    clusters: counts(rows.map((r) => r.clusterId)),
    namespaces: counts(rows.filter((r) => r.namespace !== '').map((r) => r.namespace)),
    phases: counts(rows.filter((r) => r.phase !== '').map((r) => r.phase)),
  };
}
