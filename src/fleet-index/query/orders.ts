/**
 * The orders a fleet list can be sorted by, each made total by the cluster id and storage key,
 * and the keyset cursors that resume them: a cursor holds the sort values of the last row
 * shown, so rows added or removed between pages neither skip nor repeat the others. The
 * default order's cursor has the shape of the live lists' cursor (cluster id and key), so a
 * page read from the index and the next read live (or the other way round) join up.
 */
import type { FleetOrder, FleetOrderField } from '../../domain/fleet-index.js';
import { PaddockError } from '../../errors/index.js';
import type { Row } from '../table/row.js';

export type SortValue = string | number;
export type SortTuple = readonly SortValue[];

export function tupleOf(field: FleetOrderField, row: Row): SortTuple {
  switch (field) {
    case 'CLUSTER':
      return [row.clusterId, row.key];
    case 'NAME':
      return [row.name, row.clusterId, row.key];
    case 'NAMESPACE':
      return [row.namespace, row.name, row.clusterId, row.key];
    case 'CREATED':
      return [row.createdAt, row.clusterId, row.key];
    case 'RESTARTS':
      return [row.restarts, row.clusterId, row.key];
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const tail = (a: Row, b: Row) => cmp(a.clusterId, b.clusterId) || cmp(a.key, b.key);

/** Ascending comparators, written out so sorting 50,000 rows builds no tuples. */
export const ROW_COMPARATORS: Readonly<Record<FleetOrderField, (a: Row, b: Row) => number>> = {
  CLUSTER: tail,
  NAME: (a, b) => cmp(a.name, b.name) || tail(a, b),
  NAMESPACE: (a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || tail(a, b),
  CREATED: (a, b) => a.createdAt - b.createdAt || tail(a, b),
  RESTARTS: (a, b) => a.restarts - b.restarts || tail(a, b),
};

interface CursorBody {
  readonly o: FleetOrderField;
  readonly d: boolean;
  readonly v: SortTuple;
}

export function encodeFleetCursor(order: FleetOrder, row: Row): string {
  if (order.field === 'CLUSTER' && !order.descending) {
    return Buffer.from(JSON.stringify({ c: row.clusterId, k: row.key, g: '', s: 0 })).toString(
      'base64url',
    );
  }
  const body: CursorBody = { o: order.field, d: order.descending, v: tupleOf(order.field, row) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const invalid = () =>
  new PaddockError('VALIDATION_FAILED', 'invalid cursor', { reason: 'invalid_cursor' });

/** The sort values a cursor resumes after; it must have been made for the same order. */
export function decodeFleetCursor(text: string, order: FleetOrder): SortTuple {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  if (typeof parsed.c === 'string' && typeof parsed.k === 'string') {
    if (order.field !== 'CLUSTER' || order.descending) throw invalid();
    return [parsed.c, parsed.k];
  }
  const v = parsed.v;
  if (
    parsed.o !== order.field ||
    parsed.d !== order.descending ||
    !Array.isArray(v) ||
    v.length !== tupleOf(order.field, EXAMPLE_ROW).length ||
    !v.every((x, i) => typeof x === typeof tupleOf(order.field, EXAMPLE_ROW)[i])
  ) {
    throw invalid();
  }
  return v as SortTuple;
}

const EXAMPLE_ROW: Row = {
  clusterId: '',
  namespace: '',
  name: '',
  key: '',
  createdAt: 0,
  labels: {},
  phase: '',
  ready: undefined,
  restarts: 0,
  object: { metadata: {} },
};
