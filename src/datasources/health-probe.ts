import type { ClusterHealth } from '../domain/cluster.js';
import { isPaddockError } from '../errors/index.js';
import { type ClusterCallTarget, callCluster } from './cluster-request.js';

export interface HealthProbeInput extends ClusterCallTarget {
  readonly managerToken: string;
  readonly impersonatorToken: string;
  readonly timeoutMs: number;
  readonly now: () => number;
}

interface NodeList {
  items?: { status?: { conditions?: { type?: string; status?: string }[] } }[];
}

/**
 * Asks the API server whether it is ready (`/readyz`, manager token), whether it accepts the
 * impersonator's token (`/version`) and how many nodes are Ready. A refused token is
 * `unauthorized`; no answer or a not-ready server is `unavailable`.
 */
export async function probeClusterHealth(input: HealthProbeInput): Promise<ClusterHealth> {
  const checkedAt = input.now();
  const call = (path: string, token: string) =>
    callCluster(input, { path, token, timeoutMs: input.timeoutMs });
  try {
    const readyz = await call('/readyz', input.managerToken);
    if (readyz.status === 401 || readyz.status === 403) {
      return { state: 'unauthorized', checkedAt, message: 'the manager token was refused' };
    }
    if (readyz.status !== 200) {
      return {
        state: 'unavailable',
        checkedAt,
        message: `/readyz answered ${readyz.status}: ${readyz.text.slice(0, 200)}`,
      };
    }
    const version = await call('/version', input.impersonatorToken);
    if (version.status === 401) {
      return { state: 'unauthorized', checkedAt, message: 'the impersonator token was refused' };
    }
    const gitVersion =
      version.status === 200 ? version.json<{ gitVersion?: string }>().gitVersion : undefined;
    const nodes = await call('/api/v1/nodes', input.managerToken);
    if (nodes.status !== 200) {
      return {
        state: 'active',
        checkedAt,
        version: gitVersion,
        message: `listing nodes answered ${nodes.status}`,
      };
    }
    const items = nodes.json<NodeList>().items ?? [];
    const ready = items.filter((n) =>
      (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return {
      state: 'active',
      checkedAt,
      version: gitVersion,
      nodesTotal: items.length,
      nodesReady: ready,
    };
  } catch (err) {
    return {
      state: 'unavailable',
      checkedAt,
      message: isPaddockError(err) ? err.message : 'health probe failed',
    };
  }
}
