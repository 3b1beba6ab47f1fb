/**
 * The kinds the fleet index serves: what the GraphQL API lists, except Secrets (caching them
 * would make the manager account a reader of every token in every cluster; they stay live),
 * plus custom resources a setting names. Each maps to the informer that follows it.
 */
import {
  type BuiltinInformedKind,
  type InformedKind,
  parseCustomKind,
} from '../domain/cluster-informers.js';
import type { KubeResource } from '../domain/kube-api.js';

export interface IndexedKind {
  readonly informer: InformedKind;
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
}

const k = (informer: BuiltinInformedKind, group: string, namespaced: boolean): IndexedKind => ({
  informer,
  group,
  resource: informer,
  namespaced,
});

export const BUILTIN_INDEXED_KINDS: readonly IndexedKind[] = [
  k('pods', '', true),
  k('deployments', 'apps', true),
  k('statefulsets', 'apps', true),
  k('daemonsets', 'apps', true),
  k('jobs', 'batch', true),
  k('cronjobs', 'batch', true),
  k('services', '', true),
  k('ingresses', 'networking.k8s.io', true),
  k('persistentvolumeclaims', '', true),
  k('configmaps', '', true),
  k('namespaces', '', false),
  k('nodes', '', false),
  k('persistentvolumes', '', false),
  k('storageclasses', 'storage.k8s.io', false),
];

/** A custom kind from the setting (`<resource>.<group>/<version>`), or undefined if malformed. */
export function customIndexedKind(name: string, namespaced: boolean): IndexedKind | undefined {
  const parsed = parseCustomKind(name);
  if (parsed === undefined) return undefined;
  return {
    informer: name as InformedKind,
    group: parsed.group,
    resource: parsed.resource,
    namespaced,
  };
}

export const kindKey = (group: string, resource: string) => `${group}/${resource}`;

export function kindKeyOf(resource: KubeResource): string {
  return kindKey(resource.group, resource.resource);
}
