/** The push-down's Prometheus metrics, per cluster. */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SyncMetrics {
  synced(clusterId: string, outcome: 'ok' | 'error', atMs: number, errors: number): void;
  changed(clusterId: string, kind: string, action: string): void;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

export function createSyncMetrics(registry: Registry): SyncMetrics {
  const registers = [registry];
  const runs = metric(
    registry,
    'paddock_rbac_sync_runs_total',
    () =>
      new Counter({
        name: 'paddock_rbac_sync_runs_total',
        help: 'RBAC push-down passes, by cluster and outcome',
        labelNames: ['cluster', 'outcome'] as const,
        registers,
      }),
  );
  const lastSuccess = metric(
    registry,
    'paddock_rbac_sync_last_success_timestamp_seconds',
    () =>
      new Gauge({
        name: 'paddock_rbac_sync_last_success_timestamp_seconds',
        help: 'When the cluster last matched the desired RBAC state',
        labelNames: ['cluster'] as const,
        registers,
      }),
  );
  const errors = metric(
    registry,
    'paddock_rbac_sync_errors',
    () =>
      new Gauge({
        name: 'paddock_rbac_sync_errors',
        help: 'Errors of the last RBAC push-down pass, by cluster',
        labelNames: ['cluster'] as const,
        registers,
      }),
  );
  const changes = metric(
    registry,
    'paddock_rbac_sync_changes_total',
    () =>
      new Counter({
        name: 'paddock_rbac_sync_changes_total',
        help: 'Objects the RBAC push-down created, updated, deleted or patched',
        labelNames: ['cluster', 'kind', 'action'] as const,
        registers,
      }),
  );
  return {
    synced(clusterId, outcome, atMs, count) {
      runs.inc({ cluster: clusterId, outcome });
      errors.set({ cluster: clusterId }, count);
      if (outcome === 'ok') lastSuccess.set({ cluster: clusterId }, atMs / 1000);
    },
    changed(clusterId, kind, action) {
      changes.inc({ cluster: clusterId, kind, action });
    },
  };
}
