import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Per-cluster proxy metrics; the cluster label only ever holds registered cluster ids. */
export interface ProxyMetrics {
  requestStarted(clusterId: string): void;
  requestEnded(clusterId: string, verb: string, status: number, seconds: number | undefined): void;
  streamOpened(clusterId: string, kind: 'watch' | 'tunnel'): void;
  streamClosed(clusterId: string, kind: 'watch' | 'tunnel'): void;
  upstreamError(clusterId: string, code: string): void;
}

function metric<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/** Registers (or reuses) the proxy's metrics in the given registry. */
export function createProxyMetrics(registry: Registry): ProxyMetrics {
  const registers = [registry];
  const requests = metric(
    registry,
    'paddock_proxy_requests_total',
    () =>
      new Counter({
        name: 'paddock_proxy_requests_total',
        help: 'Kubernetes API requests through the proxy, by cluster, verb and status code',
        labelNames: ['cluster', 'verb', 'code'] as const,
        registers,
      }),
  );
  const latency = metric(
    registry,
    'paddock_proxy_request_duration_seconds',
    () =>
      new Histogram({
        name: 'paddock_proxy_request_duration_seconds',
        help: 'Latency of non-streaming proxied requests, by cluster and verb',
        labelNames: ['cluster', 'verb'] as const,
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      }),
  );
  const inFlight = metric(
    registry,
    'paddock_proxy_requests_in_flight',
    () =>
      new Gauge({
        name: 'paddock_proxy_requests_in_flight',
        help: 'Proxied requests currently open, by cluster',
        labelNames: ['cluster'] as const,
        registers,
      }),
  );
  const open = metric(
    registry,
    'paddock_proxy_open_streams',
    () =>
      new Gauge({
        name: 'paddock_proxy_open_streams',
        help: 'Open watches/follows (kind=watch) and exec/attach/port-forward tunnels (kind=tunnel)',
        labelNames: ['cluster', 'kind'] as const,
        registers,
      }),
  );
  const errors = metric(
    registry,
    'paddock_proxy_upstream_errors_total',
    () =>
      new Counter({
        name: 'paddock_proxy_upstream_errors_total',
        help: 'Failures reaching a cluster, by cluster and error code',
        labelNames: ['cluster', 'code'] as const,
        registers,
      }),
  );
  return {
    requestStarted(cluster) {
      inFlight.inc({ cluster });
    },
    requestEnded(cluster, verb, status, seconds) {
      inFlight.dec({ cluster });
      requests.inc({ cluster, verb, code: String(status) });
      if (seconds !== undefined) latency.observe({ cluster, verb }, seconds);
    },
    streamOpened(cluster, kind) {
      open.inc({ cluster, kind });
    },
    streamClosed(cluster, kind) {
      open.dec({ cluster, kind });
    },
    upstreamError(cluster, code) {
      errors.inc({ cluster, code });
    },
  };
}
