/**
 * What the store keeps of a multi-cluster app: its spec (edited through the API) and, in a
 * separate record, the controller's view of each target (so status writes never conflict with
 * an edit).
 */
import type {
  MultiClusterAppState,
  MultiClusterAppView,
  RolloutStrategy,
  SpecRevision,
  TargetRef,
  TargetState,
} from '../../domain/multi-cluster-apps.js';
import type { CollectionSpec } from '../../domain/store.js';
import type { Values } from '../values/values-input.js';

export interface TargetSpec extends TargetRef {
  readonly projectId: string;
  readonly values: Values;
}

export interface McaRecord {
  readonly id: string;
  readonly name: string;
  readonly catalogId: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Values;
  readonly targets: readonly TargetSpec[];
  readonly removing: readonly TargetRef[];
  readonly rollout: RolloutStrategy;
  readonly ownerId: string;
  readonly deleting: boolean;
  readonly specRevision: number;
  readonly revisions: readonly SpecRevision[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TargetStatus {
  readonly state: TargetState;
  readonly message?: string;
  readonly releaseRevision?: number;
  readonly chartVersion?: string;
  readonly specRevision?: number;
  readonly updatedAt: number;
}

export interface McaStatusRecord {
  readonly appId: string;
  readonly state: Exclude<MultiClusterAppState, 'deleting'>;
  readonly stateMessage?: string;
  readonly targets: Readonly<Record<string, TargetStatus>>;
  readonly updatedAt: number;
}

export const mcaCollection: CollectionSpec<McaRecord> = {
  name: 'multi-cluster-apps',
  indexes: { byName: { key: (r) => r.name, unique: true } },
};

export const mcaStatusCollection: CollectionSpec<McaStatusRecord> = {
  name: 'multi-cluster-app-status',
};

export function targetKey(t: TargetRef): string {
  return `${t.clusterId}/${t.namespace}`;
}

/** How many past spec revisions an app keeps for rollback. */
export const MAX_REVISIONS = 20;

export function toMcaView(r: McaRecord, status: McaStatusRecord | undefined): MultiClusterAppView {
  return {
    id: r.id,
    name: r.name,
    catalogId: r.catalogId,
    chart: r.chart,
    version: r.version,
    values: r.values,
    rollout: r.rollout,
    targets: r.targets.map((t) => {
      const s = status?.targets[targetKey(t)];
      return {
        clusterId: t.clusterId,
        namespace: t.namespace,
        projectId: t.projectId,
        values: t.values,
        state: s?.state ?? 'pending',
        ...(s?.message === undefined ? {} : { message: s.message }),
        ...(s?.releaseRevision === undefined ? {} : { releaseRevision: s.releaseRevision }),
        ...(s?.chartVersion === undefined ? {} : { chartVersion: s.chartVersion }),
        ...(s?.specRevision === undefined ? {} : { specRevision: s.specRevision }),
        ...(s?.updatedAt === undefined ? {} : { updatedAt: s.updatedAt }),
      };
    }),
    removing: r.removing,
    ownerId: r.ownerId,
    state: r.deleting ? 'deleting' : (status?.state ?? 'active'),
    ...(status?.stateMessage === undefined ? {} : { stateMessage: status.stateMessage }),
    specRevision: r.specRevision,
    revisions: r.revisions,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
