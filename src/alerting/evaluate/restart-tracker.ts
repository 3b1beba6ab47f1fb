/**
 * Remembers each pod's total restart count over time, so "more than N restarts within a window"
 * can be answered from watch updates alone (the pod only carries its lifetime total).
 */
import type { KubeObject } from '../../domain/kube-api.js';
import { arr, obj } from './cluster-view.js';

interface Seen {
  readonly at: number;
  readonly restarts: number;
}

export function restartsOf(pod: KubeObject): number {
  return arr(obj(pod.status).containerStatuses).reduce(
    (sum, c) => sum + (typeof c.restartCount === 'number' ? c.restartCount : 0),
    0,
  );
}

export class RestartTracker {
  readonly #seen = new Map<string, Seen[]>();
  readonly #keepMs: number;

  constructor(keepMs = 24 * 3600_000) {
    this.#keepMs = keepMs;
  }

  /** Records the pod's current total and returns the increase within `windowMs`. */
  increase(clusterId: string, pod: KubeObject, now: number, windowMs: number): number {
    const key = `${clusterId}/${pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`}`;
    const current = restartsOf(pod);
    const history = this.#seen.get(key) ?? [];
    if (history.at(-1)?.restarts !== current) history.push({ at: now, restarts: current });
    while (history.length > 1 && history[0]!.at < now - this.#keepMs) history.shift();
    this.#seen.set(key, history);
    // The last count seen before the window began is the baseline; without one, the first seen.
    const before = [...history].reverse().find((s) => s.at <= now - windowMs);
    const baseline = before ?? history[0]!;
    return current - baseline.restarts;
  }

  /** Forgets pods that no longer exist. */
  retain(clusterId: string, live: ReadonlySet<string>): void {
    for (const key of this.#seen.keys()) {
      if (key.startsWith(`${clusterId}/`) && !live.has(key.slice(clusterId.length + 1)))
        this.#seen.delete(key);
    }
  }
}
