// What API handlers and controllers need from a simulated cluster, kept as an interface so the
// modules do not import the concrete cluster (and each other) in a cycle.

import type { ResourceRegistry } from '../api/registry.js';
import type { ResourceType } from '../api/resources.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { KubeObject } from '../storage/types.js';

export interface ClusterHooks {
  /** after an object is written (ADDED/MODIFIED) through the API or a controller */
  afterWrite(t: ResourceType, obj: KubeObject, previous: KubeObject | undefined): void;
  /** after an object is removed from storage */
  afterDelete(t: ResourceType, obj: KubeObject): void;
}

export interface ClusterContext {
  readonly name: string;
  readonly store: ObjectStore;
  readonly registry: ResourceRegistry;
  readonly caPem: string;
  readonly kubeVersion: string;
  now(): Date;
  newUid(): string;
  /** deterministic-enough randomness for generated names and IPs */
  random(): number;
  hooks: ClusterHooks;
  /** schedules simulated asynchronous work (kubelet, controllers); cancelled on stop */
  later(ms: number, fn: () => void): void;
  allocateClusterIp(): string;
  allocatePodIp(): string;
  allocateNodePort(): number;
  readonly timings: { podStartMs: number; podDeleteMs: number; namespaceDeleteMs: number };
}

export function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
