/**
 * Key layout. Every key starts with the hash tag `{prefix}` so that all of a store's keys live
 * in one Cluster slot and the Lua scripts may touch any of them. The scripts in lua-scripts.ts
 * build the same names from the base; keep the two in step.
 *   {p}r:<collection>:<id>              hash: v (JSON), rv, exp, em, ix (JSON list), i:<setKey>=1
 *   {p}ids:<collection>                 sorted set of ids (score 0, ordered by id)
 *   {p}ix:<collection>:<index>:<key>    set of ids
 *   {p}exp                              sorted set, score expiresAt, member [coll,id,rv,[setKeys]]
 *   {p}colls                            set of collection names
 *   {p}rv                               resourceVersion counter (kept across imports)
 *   {p}changes                          pub/sub channel of change events
 */
export class RedisKeys {
  readonly base: string;

  constructor(prefix: string) {
    this.base = `{${prefix}}`;
  }

  record(collection: string, id: string): string {
    return `${this.base}r:${collection}:${id}`;
  }

  ids(collection: string): string {
    return `${this.base}ids:${collection}`;
  }

  indexSet(collection: string, index: string, key: string): string {
    return `${this.base}ix:${collection}:${index}:${key}`;
  }

  get expiry(): string {
    return `${this.base}exp`;
  }

  get collections(): string {
    return `${this.base}colls`;
  }

  get version(): string {
    return `${this.base}rv`;
  }

  get channel(): string {
    return `${this.base}changes`;
  }

  /** A SCAN pattern matching every key of this store. */
  get pattern(): string {
    return `${this.base.replace(/[*?[\]\\]/g, '\\$&')}*`;
  }
}
