/**
 * Health as it is written into a cluster's record. `degraded` is new in schema 2: a release
 * one step older (still running during a rolling upgrade or after a rollback) only knows
 * `active`, `unavailable`, `unauthorized` and `pending`, and would fail to show every cluster
 * if it met another state. So `degraded` is stored as `active` plus a flag, which that release
 * ignores and this one reads back (ADR 0021, N-1 compatibility).
 */
import type { ClusterHealth } from '../domain/cluster.js';

/** What the record holds. */
export type StoredHealth = Omit<ClusterHealth, 'state'> & {
  readonly state: Exclude<ClusterHealth['state'], 'degraded'>;
  readonly degraded?: true;
};

export function toStoredHealth(health: ClusterHealth): StoredHealth {
  if (health.state !== 'degraded') return health as StoredHealth;
  return { ...health, state: 'active', degraded: true };
}

export function fromStoredHealth(stored: StoredHealth | ClusterHealth): ClusterHealth {
  const { degraded, ...rest } = stored as StoredHealth;
  return degraded === true && rest.state === 'active' ? { ...rest, state: 'degraded' } : rest;
}
