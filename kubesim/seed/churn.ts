// Watch events at a steady fleet-wide rate: each tick touches random pods of random clusters
// (an annotation holding the epoch milliseconds of the write), so a consumer can measure how
// long a change takes to reach it. Rate 0 stops it.

import type { SimCluster } from '../server/sim-cluster.js';

export const CHURN_ANNOTATION = 'kubesim.io/churn-at';

export interface Churn {
  readonly rate: number;
  /** Writes made so far. */
  readonly writes: number;
  setRate(eventsPerSecond: number): void;
  stop(): void;
}

export function startChurn(clusters: () => readonly SimCluster[], eventsPerSecond: number): Churn {
  let rate = eventsPerSecond;
  let writes = 0;
  let timer: NodeJS.Timeout | undefined;
  let last = Date.now();
  let owed = 0;
  const keys = new Map<SimCluster, string[]>();
  const podsOf = (sim: SimCluster) => {
    let list = keys.get(sim);
    if (list === undefined || list.length === 0) {
      list = sim.store.list('pods').map((s) => `${s.namespace}/${s.name}`);
      keys.set(sim, list);
    }
    return list;
  };
  const touch = () => {
    const all = clusters();
    const sim = all[Math.floor(Math.random() * all.length)];
    if (sim === undefined) return;
    const pods = podsOf(sim);
    const key = pods[Math.floor(Math.random() * pods.length)];
    if (key === undefined) return;
    const [ns = '', name = ''] = key.split('/');
    const pod = sim.store.get('pods', ns, name);
    if (pod === undefined) {
      keys.delete(sim);
      return;
    }
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      [CHURN_ANNOTATION]: String(Date.now()),
    };
    sim.store.put('pods', pod, 'MODIFIED');
    writes++;
  };
  const tick = () => {
    const now = Date.now();
    owed += ((now - last) / 1000) * rate;
    last = now;
    while (owed >= 1) {
      owed--;
      touch();
    }
  };
  const schedule = () => {
    clearInterval(timer);
    timer = undefined;
    if (rate > 0) {
      last = Date.now();
      owed = 0;
      timer = setInterval(tick, Math.max(5, Math.min(100, 1000 / rate)));
      timer.unref();
    }
  };
  schedule();
  return {
    get rate() {
      return rate;
    },
    get writes() {
      return writes;
    },
    setRate(eventsPerSecond: number) {
      rate = Math.max(0, eventsPerSecond);
      schedule();
    },
    stop() {
      rate = 0;
      schedule();
    },
  };
}
