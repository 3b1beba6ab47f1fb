/**
 * Every object of one kind across the fleet, with the secondary indexes the planner picks
 * from: rows by cluster, by cluster and namespace, by label (`key=value` and `key`), by phase,
 * and one sorted array per order that has been asked for (kept current from then on).
 */
import type { FleetOrderField } from '../../domain/fleet-index.js';
import type { KubeObject } from '../../domain/kube-api.js';
import { ROW_COMPARATORS } from '../query/orders.js';
import { type Row, rowOf } from './row.js';
import { SortedRows } from './sorted-rows.js';

type Postings = Map<string, Set<Row>>;

function post(map: Postings, key: string, row: Row): void {
  const set = map.get(key);
  if (set === undefined) map.set(key, new Set([row]));
  else set.add(row);
}

function unpost(map: Postings, key: string, row: Row): void {
  const set = map.get(key);
  if (set === undefined) return;
  set.delete(row);
  if (set.size === 0) map.delete(key);
}

export const nsKey = (clusterId: string, namespace: string) => `${clusterId}\0${namespace}`;

export class KindTable {
  readonly kind: string;
  readonly #rows = new Map<string, Row>();
  readonly #byCluster: Postings = new Map();
  readonly #byNamespace: Postings = new Map();
  readonly #byLabel: Postings = new Map();
  readonly #byLabelKey: Postings = new Map();
  readonly #byPhase: Postings = new Map();
  readonly #orders = new Map<FleetOrderField, SortedRows>();

  constructor(kind: string) {
    this.kind = kind;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Adds or replaces an object; returns its new row and the one it replaced. */
  put(clusterId: string, object: KubeObject): { row: Row; previous: Row | undefined } {
    const row = rowOf(this.kind, clusterId, object);
    const id = `${clusterId}\0${row.key}`;
    const previous = this.#rows.get(id);
    if (previous !== undefined) this.#unindex(previous);
    this.#rows.set(id, row);
    this.#index(row);
    return { row, previous };
  }

  /** Removes an object; returns its last row if it was there. */
  remove(clusterId: string, object: KubeObject): Row | undefined {
    const id = `${clusterId}\0${rowOf(this.kind, clusterId, object).key}`;
    const old = this.#rows.get(id);
    if (old === undefined) return undefined;
    this.#rows.delete(id);
    this.#unindex(old);
    return old;
  }

  /** Drops every row of a cluster (it was removed from Paddock). */
  dropCluster(clusterId: string): void {
    for (const row of [...(this.#byCluster.get(clusterId) ?? [])]) {
      this.#rows.delete(`${clusterId}\0${row.key}`);
      this.#unindex(row);
    }
  }

  clusterRows(clusterId: string): ReadonlySet<Row> {
    return this.#byCluster.get(clusterId) ?? EMPTY;
  }

  namespaceRows(clusterId: string, namespace: string): ReadonlySet<Row> {
    return this.#byNamespace.get(nsKey(clusterId, namespace)) ?? EMPTY;
  }

  labelRows(key: string, value?: string): ReadonlySet<Row> {
    return (
      (value === undefined ? this.#byLabelKey.get(key) : this.#byLabel.get(`${key}=${value}`)) ??
      EMPTY
    );
  }

  phaseRows(phase: string): ReadonlySet<Row> {
    return this.#byPhase.get(phase) ?? EMPTY;
  }

  phases(): string[] {
    return [...this.#byPhase.keys()];
  }

  /** The rows in one order; the order is kept from its first use on. */
  ordered(field: FleetOrderField): SortedRows {
    let sorted = this.#orders.get(field);
    if (sorted === undefined) {
      sorted = new SortedRows(ROW_COMPARATORS[field], this.#rows.values());
      this.#orders.set(field, sorted);
    }
    return sorted;
  }

  #index(row: Row): void {
    post(this.#byCluster, row.clusterId, row);
    post(this.#byNamespace, nsKey(row.clusterId, row.namespace), row);
    for (const [k, v] of Object.entries(row.labels)) {
      post(this.#byLabel, `${k}=${v}`, row);
      post(this.#byLabelKey, k, row);
    }
    post(this.#byPhase, row.phase, row);
    for (const sorted of this.#orders.values()) sorted.insert(row);
  }

  #unindex(row: Row): void {
    unpost(this.#byCluster, row.clusterId, row);
    unpost(this.#byNamespace, nsKey(row.clusterId, row.namespace), row);
    for (const [k, v] of Object.entries(row.labels)) {
      unpost(this.#byLabel, `${k}=${v}`, row);
      unpost(this.#byLabelKey, k, row);
    }
    unpost(this.#byPhase, row.phase, row);
    for (const sorted of this.#orders.values()) sorted.remove(row);
  }
}

const EMPTY: ReadonlySet<Row> = new Set();
