/**
 * Kubernetes resource amounts summed as numbers: node capacity and allocatable, and what the
 * scheduler counts for pods (requests and limits). Pure; used by the background capacity
 * refresh and by GraphQL when it reads as the caller.
 */
import type { KubeObject, ResourceTotals } from '../domain/kube-api.js';
import { isQuantity, parseQuantity } from './quantity.js';

export const ZERO: ResourceTotals = { cpuMillis: 0, memoryBytes: 0, pods: 0 };

function milli(text: unknown): bigint {
  return typeof text === 'string' && isQuantity(text) ? parseQuantity(text) : 0n;
}

/** A `ResourceList` (`{ cpu: '2', memory: '4Gi', pods: '110' }`) as totals. */
export function totalsOf(list: unknown): ResourceTotals {
  const l = (list ?? {}) as Record<string, unknown>;
  return {
    cpuMillis: Number(milli(l.cpu)),
    memoryBytes: Number(milli(l.memory) / 1000n),
    pods: Number(milli(l.pods) / 1000n),
  };
}

export function add(a: ResourceTotals, b: ResourceTotals): ResourceTotals {
  return {
    cpuMillis: a.cpuMillis + b.cpuMillis,
    memoryBytes: a.memoryBytes + b.memoryBytes,
    pods: a.pods + b.pods,
  };
}

interface Container {
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

/** Whether the pod still holds its node's resources (not Succeeded or Failed). */
export function isActivePod(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * What the scheduler counts for a pod: the larger of the containers' sum and the largest init
 * container, plus the pod overhead; the pod itself counts as one pod.
 */
export function podAmounts(pod: KubeObject, which: 'requests' | 'limits'): ResourceTotals {
  const spec = (pod.spec ?? {}) as {
    containers?: Container[];
    initContainers?: Container[];
    overhead?: Record<string, string>;
  };
  let sum = { ...ZERO };
  for (const c of spec.containers ?? []) sum = add(sum, totalsOf(c.resources?.[which]));
  for (const c of spec.initContainers ?? []) {
    const t = totalsOf(c.resources?.[which]);
    sum = {
      cpuMillis: Math.max(sum.cpuMillis, t.cpuMillis),
      memoryBytes: Math.max(sum.memoryBytes, t.memoryBytes),
      pods: 0,
    };
  }
  const withOverhead = add(sum, totalsOf(spec.overhead));
  return { ...withOverhead, pods: 1 };
}

export function sumPods(pods: readonly KubeObject[], which: 'requests' | 'limits'): ResourceTotals {
  return pods.filter(isActivePod).reduce((acc, p) => add(acc, podAmounts(p, which)), ZERO);
}
