/**
 * kubesim run inside a network namespace (`ip netns exec <ns> node netns-kubesim-child.js`):
 * the test process, outside, drives it over the IPC channel Node passes through `ip netns
 * exec`, so no control port has to be opened into the namespace. Message in:
 * `{ id, op: 'setFaults' | 'clearFaults' | 'list' | 'create' | 'nodeFault', cluster, ... }`; out: `{ id, result }` or
 * `{ id, error }`, and first `{ ready: clusters }`. It stops when the channel closes.
 */
import { startKubesim } from '../../kubesim/index.js';

interface Request {
  readonly id: number;
  readonly op: 'setFaults' | 'clearFaults' | 'list' | 'create' | 'nodeFault';
  readonly cluster: string;
  readonly faults?: Record<string, unknown>;
  readonly resource?: string;
  readonly namespace?: string;
  readonly object?: Record<string, unknown>;
  /** nodeFault: the node and what to set on it (e.g. `{ ready: false }`). */
  readonly node?: string;
  readonly fault?: Record<string, unknown>;
}

const [stateDir, clusterList] = process.argv.slice(2);
const sim = await startKubesim({
  clusters: (clusterList ?? 'one').split(','),
  // Every address of the namespace; the namespace's firewall is what keeps the host out.
  host: '0.0.0.0',
  adminPort: false,
  seed: 'demo',
  stateDir,
  http2: true,
});
const send = (message: unknown) => process.send?.(message);
process.on('message', (raw) => {
  const r = raw as Request;
  void (async () => {
    try {
      const cluster = sim.cluster(r.cluster);
      let result: unknown;
      if (r.op === 'setFaults') result = await cluster.setFaults(r.faults ?? {});
      else if (r.op === 'clearFaults') result = await cluster.clearFaults();
      else if (r.op === 'create') result = cluster.create(r.resource ?? '', r.object as never);
      else if (r.op === 'nodeFault') result = cluster.setNodeFault(r.node ?? '', r.fault ?? {});
      else result = cluster.list(r.resource ?? '', r.namespace);
      send({ id: r.id, result: result ?? null });
    } catch (err) {
      send({ id: r.id, error: err instanceof Error ? err.message : String(err) });
    }
  })();
});
process.on('disconnect', () => {
  void sim.stop().finally(() => process.exit(0));
});
send({ ready: sim.clusters });
