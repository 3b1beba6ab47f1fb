/**
 * One pass of the push-down over one cluster: read its namespaces, compute the desired
 * Paddock-owned objects, and create, replace or delete until the cluster holds exactly those.
 * Only objects labelled `paddock.io/owned=true` are ever listed, changed or deleted; a failure
 * on one object is recorded and the pass goes on with the others.
 */
import { OBJECT_SET_LABEL } from '../../domain/object-set.js';
import type { AccessState } from '../../domain/rbac.js';
import { hasErrorCode } from '../../errors/index.js';
import {
  type DesiredClusterState,
  desiredClusterState,
  type KubeObject,
  OWNED_KINDS,
  OWNED_LABEL,
  type OwnedKind,
} from '../../rbac/index.js';
import { readNamespaces } from './downstream-reader.js';
import { collectionPath, NAMESPACES_PATH, objectPath } from './kube-paths.js';
import type { ManagerClient } from './manager-client.js';
import { sameObject, sameRoleRef } from './same-object.js';

export type ChangeAction = 'create' | 'update' | 'delete' | 'patch';

export interface SyncChange {
  readonly kind: OwnedKind | 'Namespace';
  readonly action: ChangeAction;
  readonly name: string;
  readonly namespace?: string;
}

export interface ReconcileOutcome {
  readonly changes: readonly SyncChange[];
  /** Writes the cluster refused. */
  readonly failures: readonly string[];
  /** What the desired state cannot honour (e.g. a namespace beyond its project's quota). */
  readonly problems: readonly string[];
  readonly desired: DesiredClusterState;
}

type Live = Record<string, unknown> & {
  metadata: { name: string; namespace?: string; resourceVersion?: string; annotations?: object };
};

const keyOf = (o: { metadata: { name: string; namespace?: string } }) =>
  `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// Roles before the bindings that name them; deletions run in the reverse order.
const CREATE_ORDER: readonly OwnedKind[] = OWNED_KINDS;

export async function reconcileCluster(
  client: ManagerClient,
  clusterId: string,
  state: AccessState,
): Promise<ReconcileOutcome> {
  const namespaces = await readNamespaces(client);
  const desired = desiredClusterState(clusterId, state, namespaces);
  const changes: SyncChange[] = [];
  const failures: string[] = [];
  const attempt = async (change: SyncChange, write: () => Promise<void>) => {
    try {
      await write();
      changes.push(change);
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  };

  const stale: { kind: OwnedKind; live: Live }[] = [];
  for (const kind of CREATE_ORDER) {
    // Objects of other owned sets (the log collector) are not the RBAC pass's to judge.
    const live = await client.list<Live>(
      collectionPath(kind),
      `${OWNED_LABEL}=true,!${OBJECT_SET_LABEL}`,
    );
    const liveByKey = new Map(live.items.map((o) => [keyOf(o), o]));
    for (const want of desired.objects[kind]) {
      const have = liveByKey.get(keyOf(want));
      liveByKey.delete(keyOf(want));
      const ns = want.metadata.namespace;
      const change = { kind, name: want.metadata.name, ...(ns ? { namespace: ns } : {}) };
      if (!have) {
        await attempt({ ...change, action: 'create' }, () => create(client, kind, want));
      } else if (!sameRoleRef(want, have)) {
        await attempt({ ...change, action: 'update' }, async () => {
          await client.delete(objectPath(kind, want.metadata.name, ns));
          await create(client, kind, want);
        });
      } else if (!sameObject(want, have)) {
        await attempt({ ...change, action: 'update' }, () =>
          client.replace(objectPath(kind, want.metadata.name, ns), {
            ...want,
            metadata: {
              ...want.metadata,
              resourceVersion: have.metadata.resourceVersion,
              ...(have.metadata.annotations ? { annotations: have.metadata.annotations } : {}),
            },
          }),
        );
      }
    }
    for (const rest of liveByKey.values()) stale.push({ kind, live: rest });
  }
  for (const { kind, live } of stale.reverse()) {
    const ns = live.metadata.namespace;
    await attempt(
      { kind, action: 'delete', name: live.metadata.name, ...(ns ? { namespace: ns } : {}) },
      () => client.delete(objectPath(kind, live.metadata.name, ns)),
    );
  }
  for (const patch of desired.namespacePatches) {
    await attempt({ kind: 'Namespace', action: 'patch', name: patch.name }, () =>
      client.mergePatch(`${NAMESPACES_PATH}/${encodeURIComponent(patch.name)}`, {
        metadata: { labels: patch.labels, annotations: patch.annotations },
      }),
    );
  }
  return { changes, failures, problems: desired.problems, desired };
}

async function create(client: ManagerClient, kind: OwnedKind, object: KubeObject): Promise<void> {
  try {
    await client.create(collectionPath(kind, object.metadata.namespace), object);
  } catch (err) {
    if (hasErrorCode(err, 'CONFLICT')) {
      // Another replica's pass created it a moment ago: that is the outcome wanted.
      const existing = await client
        .get<{ metadata?: { labels?: Record<string, string> } }>(
          objectPath(kind, object.metadata.name, object.metadata.namespace),
        )
        .catch(() => undefined);
      if (existing?.metadata?.labels?.[OWNED_LABEL] === 'true') return;
      // The name is taken by an object Paddock does not own: leave it alone and say so.
      throw new Error(
        `${kind} ${keyOf(object)} exists without the ${OWNED_LABEL} label; Paddock leaves it alone`,
      );
    }
    throw err;
  }
}
