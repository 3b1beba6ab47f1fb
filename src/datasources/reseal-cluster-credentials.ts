import type { Store } from '../domain/store.js';
import { hasErrorCode } from '../errors/index.js';
import { type ClusterRecord, clustersCollection, credentialPlace } from './cluster-records.js';

/** Opens a sealed value with whichever key made it and seals it under the current key. */
export type ResealSecret = (sealed: string, associatedData: string) => string;

/**
 * Re-seals every cluster's impersonator and manager token (and agent secret) under the current encryption key,
 * with compare-and-set so a concurrent import or update is never overwritten. Returns the
 * number of clusters rewritten.
 */
export async function resealClusterCredentials(
  store: Store,
  reseal: ResealSecret,
): Promise<number> {
  const clusters = store.collection(clustersCollection);
  let rewritten = 0;
  for (const listed of await clusters.list()) {
    let record = listed;
    for (let attempt = 1; ; attempt++) {
      const next = resealed(record.value, reseal);
      if (next === undefined) break;
      try {
        await clusters.update(record.id, next, { resourceVersion: record.resourceVersion });
        rewritten++;
        break;
      } catch (err) {
        if (!hasErrorCode(err, 'CONFLICT') || attempt >= 5) throw err;
        const fresh = await clusters.get(record.id);
        if (fresh === undefined) break;
        record = fresh;
      }
    }
  }
  return rewritten;
}

function resealed(cluster: ClusterRecord, reseal: ResealSecret): ClusterRecord | undefined {
  const fields = ['impersonatorToken', 'managerToken', 'agentSecret'] as const;
  let changed = false;
  const next: Record<string, unknown> = { ...cluster };
  for (const field of fields) {
    const sealed = cluster[field];
    if (sealed === undefined) continue;
    const again = reseal(sealed, credentialPlace(cluster.id, field));
    if (again !== sealed) {
      next[field] = again;
      changed = true;
    }
  }
  return changed ? (next as unknown as ClusterRecord) : undefined;
}
