/**
 * The bench's downstream cluster in its own process: kubesim with 500 pods (seed
 * `scale:4x500`), a namespace `bench` holding a ~1 KB ConfigMap to GET and one to watch, and
 * on request the `view` role for the bench user. Answers `stats` with its RSS and open watches.
 *
 * It offers HTTP/2 like kube-apiserver unless the second argument is `http1`.
 *
 *   forked by bench/proxy/main.ts: kubesim-child.js <stateDir> [http2|http1]
 */
import { startKubesim } from '../../kubesim/index.js';
import {
  answerStats,
  BENCH_NAMESPACE,
  isBindUser,
  type KubesimReady,
  OBJECT_NAME,
  POD_COUNT,
  WATCHED_NAME,
} from './protocol.js';

const [stateDir, protocol = 'http2'] = process.argv.slice(2);
if (stateDir === undefined) throw new Error('usage: kubesim-child.js <stateDir> [http2|http1]');
const sim = await startKubesim({
  clusters: ['bench'],
  seed: `scale:4x${POD_COUNT}`,
  adminPort: false,
  stateDir,
  http2: protocol !== 'http1',
});
const cluster = sim.cluster('bench');
cluster.create('namespaces', { metadata: { name: BENCH_NAMESPACE } });
// About the 1 KB object of the calibration figures once served as JSON.
cluster.create('configmaps', {
  metadata: { name: OBJECT_NAME, namespace: BENCH_NAMESPACE },
  data: { blob: 'x'.repeat(800) },
});
cluster.create('configmaps', {
  metadata: { name: WATCHED_NAME, namespace: BENCH_NAMESPACE },
  data: { seq: '0' },
});
process.on('message', (m: unknown) => {
  if (!isBindUser(m)) return;
  cluster.create('clusterrolebindings.rbac.authorization.k8s.io', {
    metadata: { name: 'bench-view' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: m.user }],
  });
  process.send?.({ type: 'user-bound' });
});
const [described] = sim.clusters;
if (described === undefined) throw new Error('kubesim started no cluster');
answerStats(() => cluster.sim.watches.size);
const stop = () => void sim.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
const ready: KubesimReady = {
  type: 'kubesim-ready',
  url: described.url,
  caFile: described.caFile,
  adminToken: described.adminToken,
};
process.send?.(ready);
