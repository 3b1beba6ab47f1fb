/** What a condition reads of one cluster: informer caches, registry health, the clock. */

import type { AlertConditionKind } from '../../domain/alerting.js';
import type { ClusterHealth } from '../../domain/cluster.js';
import type { InformedKind } from '../../domain/cluster-informers.js';
import type { KubeObject } from '../../domain/kube-api.js';

export interface ClusterView {
  readonly clusterId: string;
  /** Epoch milliseconds. */
  readonly now: number;
  readonly health: ClusterHealth | undefined;
  list(kind: InformedKind): readonly KubeObject[];
  /** `<projectId>` of a namespace, from its project label or annotation. */
  projectOf(namespace: string): string | undefined;
}

/** One thing a condition finds wrong: its own labels and a sentence saying what. */
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
}

/** The informer kinds each condition reads (namespaces for project scoping are added). */
export const KINDS_NEEDED: Readonly<Record<AlertConditionKind, readonly InformedKind[]>> = {
  clusterUnhealthy: [],
  nodeCondition: ['nodes'],
  resourceRequests: ['nodes', 'pods'],
  warningEvent: ['events'],
  systemComponentUnhealthy: ['pods'],
  workloadUnavailable: ['deployments', 'statefulsets', 'daemonsets'],
  podRestarts: ['pods'],
  jobFailed: ['jobs'],
  pvcPending: ['persistentvolumeclaims'],
};

export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
export const conditionOf = (o: KubeObject, type: string): Json | undefined =>
  arr(obj(o.status).conditions).find((c) => c.type === type);
