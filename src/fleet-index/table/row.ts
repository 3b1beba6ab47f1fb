/**
 * One indexed object: the fields filters, sorts and facets read, extracted once when the
 * object arrives, plus the (lean) object itself for the answer. Rows are immutable: a change
 * replaces the row, so sorted structures can find the old one by its old values.
 */
import type { KubeObject } from '../../domain/kube-api.js';

export interface Row {
  readonly clusterId: string;
  /** `''` for cluster-scoped kinds; a namespace's own name for a namespace. */
  readonly namespace: string;
  readonly name: string;
  /** `<namespace>/<name>` or `<name>`: the storage key lists are ordered by in a cluster. */
  readonly key: string;
  /** Epoch ms of `metadata.creationTimestamp` (0 when absent). */
  readonly createdAt: number;
  readonly labels: Readonly<Record<string, string>>;
  /** `''` when the kind has no phase. */
  readonly phase: string;
  /** Undefined when the kind has no notion of ready. */
  readonly ready: boolean | undefined;
  readonly restarts: number;
  readonly object: KubeObject;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function conditionTrue(status: Json, type: string): boolean | undefined {
  const c = arr(status.conditions).find((x) => x.type === type);
  return c === undefined ? undefined : c.status === 'True';
}

interface Derived {
  phase: string;
  ready: boolean | undefined;
  restarts: number;
}

function derive(kind: string, o: KubeObject): Derived {
  const status = obj(o.status);
  const spec = obj(o.spec);
  switch (kind) {
    case 'pods': {
      let restarts = 0;
      for (const c of arr(status.containerStatuses)) restarts += num(c.restartCount);
      return {
        phase: typeof status.phase === 'string' ? status.phase : '',
        ready: conditionTrue(status, 'Ready') ?? false,
        restarts,
      };
    }
    case 'deployments':
    case 'statefulsets': {
      const want = spec.replicas === undefined ? 1 : num(spec.replicas);
      return { phase: '', ready: num(status.readyReplicas) >= want, restarts: 0 };
    }
    case 'daemonsets':
      return {
        phase: '',
        ready: num(status.numberReady) >= num(status.desiredNumberScheduled),
        restarts: 0,
      };
    case 'jobs': {
      const phase = conditionTrue(status, 'Complete')
        ? 'Complete'
        : conditionTrue(status, 'Failed')
          ? 'Failed'
          : 'Running';
      return { phase, ready: phase === 'Complete', restarts: 0 };
    }
    case 'nodes': {
      const ready = conditionTrue(status, 'Ready') ?? false;
      return { phase: ready ? 'Ready' : 'NotReady', ready, restarts: 0 };
    }
    case 'persistentvolumeclaims':
    case 'persistentvolumes':
    case 'namespaces':
      return {
        phase: typeof status.phase === 'string' ? status.phase : '',
        ready: undefined,
        restarts: 0,
      };
    default:
      return { phase: '', ready: undefined, restarts: 0 };
  }
}

export function rowOf(kind: string, clusterId: string, object: KubeObject): Row {
  const m = object.metadata ?? {};
  const name = m.name ?? '';
  // A namespace is indexed under itself, so "namespaces the caller may see" and "objects in
  // namespaces the caller may see" are the same lookup.
  const namespace = kind === 'namespaces' ? name : (m.namespace ?? '');
  const created = m.creationTimestamp ? Date.parse(m.creationTimestamp) : 0;
  return {
    clusterId,
    namespace,
    name,
    key: namespace === '' || kind === 'namespaces' ? name : `${namespace}/${name}`,
    createdAt: Number.isFinite(created) ? created : 0,
    labels: m.labels ?? {},
    ...derive(kind, object),
    object,
  };
}
