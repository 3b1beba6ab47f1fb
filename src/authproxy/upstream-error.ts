import { AGENT_TUNNEL_ERROR_CODE } from '../domain/cluster-upstream.js';
import { PaddockError } from '../errors/index.js';

/**
 * Maps a failure talking to a cluster to what the client should see: 504 when it did not
 * answer in time, 502 when it dropped the connection or failed TLS, 503 when it could not be
 * reached at all.
 */
export function upstreamFailure(err: unknown, clusterId: string): PaddockError {
  const code = String((err as { code?: unknown } | undefined)?.code ?? '');
  const name = err instanceof Error ? err.name : '';
  if (/TIMEOUT|ETIMEDOUT/.test(code) || name === 'TimeoutError') {
    return new PaddockError('UPSTREAM_TIMEOUT', `cluster ${clusterId} did not answer in time`, {
      cause: err,
      reason: code || 'timeout',
    });
  }
  if (/ECONNRESET|EPIPE|UPSTREAM_CLOSED|HPE_/.test(code)) {
    return new PaddockError('UPSTREAM_RESET', `cluster ${clusterId} closed the connection`, {
      cause: err,
      reason: code,
    });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) {
    return new PaddockError(
      'UPSTREAM_RESET',
      `cluster ${clusterId} presented a certificate Paddock does not trust`,
      { cause: err, reason: code },
    );
  }
  if (code === AGENT_TUNNEL_ERROR_CODE) {
    // The tunnel's own words: no agent connected, or the agent went away mid-request.
    const why = err instanceof Error ? `: ${err.message}` : '';
    return new PaddockError('UPSTREAM_UNAVAILABLE', `cluster ${clusterId} is unavailable${why}`, {
      cause: err,
      reason: 'agent_tunnel',
    });
  }
  return new PaddockError('UPSTREAM_UNAVAILABLE', `cluster ${clusterId} is unavailable`, {
    cause: err,
    reason: code || 'unreachable',
  });
}

/**
 * Whether a failure says the cluster cannot be reached (feeds the circuit breaker). A cluster
 * that answers slowly is slow, not dead: a timeout never opens the circuit.
 */
export function countsAgainstCluster(err: PaddockError): boolean {
  return err.code === 'UPSTREAM_UNAVAILABLE';
}
