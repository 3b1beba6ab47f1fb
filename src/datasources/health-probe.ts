import type { ClusterHealth } from '../domain/cluster.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import { isPaddockError } from '../errors/index.js';
import { type ClusterCallTarget, callCluster, isKubeStatus } from './cluster-request.js';

export interface HealthProbeInput extends ClusterCallTarget {
  readonly managerToken: string;
  readonly impersonatorToken: string;
  readonly timeoutMs: number;
  readonly now: () => number;
  /** Ends the probe early (Paddock is stopping). */
  readonly signal?: AbortSignal;
}

/** The health to store and show, and what only the server log gets. */
export interface HealthProbeOutcome {
  readonly health: ClusterHealth;
  /** Why the cluster is unreachable, in detail; never shown to API callers. */
  readonly detail?: string;
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
  const call = (path: string, token: string) =>
    callCluster(input, {
      path,
      token,
      timeoutMs: input.timeoutMs,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
  const unreachable = (detail: string): HealthProbeOutcome => ({
    health: { state: 'unavailable', checkedAt, message: UNREACHABLE_ENDPOINT_MESSAGE },
    detail,
  });
  try {
    const readyz = await call('/readyz', input.managerToken);
    if ((readyz.status === 401 || readyz.status === 403) && isKubeStatus(readyz)) {
      return {
        health: { state: 'unauthorized', checkedAt, message: 'the manager token was refused' },
      };
    }
    if (readyz.status !== 200) {
      return unreachable(`/readyz answered ${readyz.status}: ${readyz.text.slice(0, 200)}`);
    }
    const version = await call('/version', input.impersonatorToken);
    if (version.status === 401 && isKubeStatus(version)) {
      return {
        health: { state: 'unauthorized', checkedAt, message: 'the impersonator token was refused' },
      };
    }
    const gitVersion = gitVersionOf(version);
    if (version.status !== 200 || gitVersion === undefined) {
      return unreachable(`/version answered ${version.status}: ${version.text.slice(0, 200)}`);
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
    };
  } catch (err) {
    const cause = isPaddockError(err) && err.cause instanceof Error ? err.cause : err;
    const code = (cause as { code?: unknown } | undefined)?.code;
    return unreachable(
      `${isPaddockError(err) ? err.message : 'health probe failed'}${typeof code === 'string' ? ` (${code})` : ''}`,
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
