import type { ClusterHealth } from '../domain/cluster.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import { hasErrorCode, isPaddockError } from '../errors/index.js';
import { type ClusterCallTarget, callCluster, isKubeStatus } from './cluster-request.js';

export interface HealthProbeInput extends ClusterCallTarget {
  readonly managerToken: string;
  readonly impersonatorToken: string;
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Ends the probe early (Paddock is stopping). */
  readonly signal?: AbortSignal;
  /**
   * List the nodes (default true). Node lists of big clusters are not small, so they are
   * read less often than the API server is asked whether it is ready; `previous` then keeps
   * the counts of the last list.
   */
  readonly listNodes?: boolean;
  readonly previous?: Pick<ClusterHealth, 'nodesTotal' | 'nodesReady'>;
}

/** The health to store and show, and what only the server log gets. */
export interface HealthProbeOutcome {
  readonly health: ClusterHealth;
  /** Why the cluster is unreachable, in detail; never shown to API callers. */
  readonly detail?: string;
  /** The slowest call's duration: a cluster that answers slowly is slow, not down. */
  readonly slowestCallMs: number;
  /** A call got no answer within the deadline (rather than a refused connection). */
  readonly timedOut?: boolean;
}

interface NodeList {
  items?: { status?: { conditions?: { type?: string; status?: string }[] } }[];
}

/**
 * Asks the API server whether it is ready (`/readyz`, manager token), whether it accepts the
 * impersonator's token (`/version`) and how many nodes are Ready. A refused token is
 * `unauthorized`; no answer, a not-ready server or anything that is not a Kubernetes API server
 * is `unavailable` with one message, "cannot reach endpoint": a cluster's endpoint may be named
 * by any user who imports it, so its health must not tell a closed port from an open one, or
 * echo what some other server answered (ADR 0011). The detail goes to the server log.
 */
export async function probeClusterHealth(input: HealthProbeInput): Promise<HealthProbeOutcome> {
  const checkedAt = input.now();
  let slowestCallMs = 0;
  const call = async (path: string, token: string) => {
    const started = input.now();
    try {
      return await callCluster(input, {
        path,
        token,
        timeoutMs: input.timeoutMs,
        ...(input.signal === undefined ? {} : { signal: input.signal }),
      });
    } finally {
      slowestCallMs = Math.max(slowestCallMs, input.now() - started);
    }
  };
  const unreachable = (detail: string, timedOut = false): HealthProbeOutcome => ({
    health: { state: 'unavailable', checkedAt, message: UNREACHABLE_ENDPOINT_MESSAGE },
    detail,
    slowestCallMs,
    ...(timedOut ? { timedOut } : {}),
  });
  try {
    const readyz = await call('/readyz', input.managerToken);
    if ((readyz.status === 401 || readyz.status === 403) && isKubeStatus(readyz)) {
      return {
        health: { state: 'unauthorized', checkedAt, message: 'the manager token was refused' },
        slowestCallMs,
      };
    }
    if (readyz.status !== 200) {
      return unreachable(`/readyz answered ${readyz.status}: ${readyz.text.slice(0, 200)}`);
    }
    const version = await call('/version', input.impersonatorToken);
    if (version.status === 401 && isKubeStatus(version)) {
      return {
        health: { state: 'unauthorized', checkedAt, message: 'the impersonator token was refused' },
        slowestCallMs,
      };
    }
    const gitVersion = gitVersionOf(version);
    if (version.status !== 200 || gitVersion === undefined) {
      return unreachable(`/version answered ${version.status}: ${version.text.slice(0, 200)}`);
    }
    if (input.listNodes === false) {
      const { nodesTotal, nodesReady } = input.previous ?? {};
      return {
        health: {
          state: 'active',
          checkedAt,
          version: gitVersion,
          ...(nodesTotal === undefined ? {} : { nodesTotal }),
          ...(nodesReady === undefined ? {} : { nodesReady }),
        },
        slowestCallMs,
      };
    }
    const nodes = await call('/api/v1/nodes', input.managerToken);
    if (nodes.status !== 200) {
      return {
        health: {
          state: 'active',
          checkedAt,
          version: gitVersion,
          message: `listing nodes answered ${nodes.status}`,
        },
        slowestCallMs,
      };
    }
    const items = nodes.json<NodeList>().items ?? [];
    const ready = items.filter((n) =>
      (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return {
      health: {
        state: 'active',
        checkedAt,
        version: gitVersion,
        nodesTotal: items.length,
        nodesReady: ready,
      },
      slowestCallMs,
    };
  } catch (err) {
    const cause = isPaddockError(err) && err.cause instanceof Error ? err.cause : err;
    const code = (cause as { code?: unknown } | undefined)?.code;
    return unreachable(
      `${isPaddockError(err) ? err.message : 'health probe failed'}${typeof code === 'string' ? ` (${code})` : ''}`,
      hasErrorCode(err, 'UPSTREAM_TIMEOUT'),
    );
  }
}

/** `gitVersion` of a `/version` answer; undefined when it is not a Kubernetes version. */
function gitVersionOf(answer: { status: number; json<T>(): T }): string | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const body = answer.json<{ gitVersion?: unknown }>();
    return typeof body?.gitVersion === 'string' ? body.gitVersion : undefined;
  } catch {
    return undefined;
  }
}
