/**
 * Rows kept in one order. A single change is a binary search and a splice; a burst of them
 * (a cluster's first list) is appended and sorted once when the order is next read, so filling
 * the index costs one sort instead of quadratic splices.
 */
import type { Row } from './row.js';

const BURST = 256;

export class SortedRows {
  readonly #compare: (a: Row, b: Row) => number;
  #rows: Row[] = [];
  #dirty = false;
  #removed = new Set<Row>();
  #sinceRead = 0;

  constructor(compare: (a: Row, b: Row) => number, initial: Iterable<Row> = []) {
    this.#compare = compare;
    this.#rows = [...initial];
    this.#rows.sort(compare);
  }

  insert(row: Row): void {
    if (!this.#dirty && ++this.#sinceRead > BURST) this.#dirty = true;
    if (this.#dirty) {
      this.#removed.delete(row);
      this.#rows.push(row);
      return;
    }
    this.#rows.splice(this.#lowerBound(row), 0, row);
  }

  remove(row: Row): void {
    if (this.#dirty) {
      this.#removed.add(row);
      return;
    }
    const at = this.#lowerBound(row);
    if (this.#rows[at] === row) this.#rows.splice(at, 1);
  }

  /** The rows in order (do not modify). */
  rows(): readonly Row[] {
    if (this.#dirty) {
      const removed = this.#removed;
      if (removed.size > 0) this.#rows = this.#rows.filter((r) => !removed.has(r));
      this.#rows.sort(this.#compare);
      this.#removed = new Set();
      this.#dirty = false;
    }
    this.#sinceRead = 0;
    return this.#rows;
  }

  /** First position whose row is not before `probe` (a row-shaped key). */
  lowerBound(probe: (row: Row) => number): number {
    const rows = this.rows();
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (probe(rows[mid]!) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #lowerBound(row: Row): number {
    let lo = 0;
    let hi = this.#rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compare(this.#rows[mid]!, row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
