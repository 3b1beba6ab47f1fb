// Compatibility matrix, part 5: the controllers behind services and workloads, seen through the
// real kubectl: Endpoints and EndpointSlices for selector services (kubectl describe svc),
// StatefulSets with ordinal pods and claims, DaemonSets on every schedulable node, Jobs that run
// their pods to completion.

import { expect } from 'chai';
import { type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';

const WORKLOADS = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16, ports: [{containerPort: 5432, name: pg}]}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{name: pg, port: 5432, targetPort: pg}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  completions: 2
  template:
    spec: {containers: [{name: migrate, image: busybox}]}
`;

describe('kubesim workload and endpoint controllers with real kubectl', function () {
  this.timeout(60_000);
  let sim: Kubesim;
  let kubectl: Kubectl;
  const k = (args: string[]) => kubectl.run(['-n', 'shop', ...args]);

  before(async () => {
    sim = await startKubesim({ clusters: 1, seed: 'demo', adminPort: false });
    const c = sim.clusters[0];
    if (!c) throw new Error('no cluster');
    kubectl = new Kubectl(c);
    const applied = await kubectl.run(['apply', '-f', '-'], { input: WORKLOADS });
    expect(applied.code, applied.stderr).to.equal(0);
  });

  after(async () => {
    kubectl.cleanup();
    await sim.stop();
  });

  it('lists the ready pods of a selector service as endpoints in kubectl describe svc', async () => {
    const pods = await k([
      'get',
      'pods',
      '-l',
      'app=frontend',
      '-o',
      'jsonpath={.items[*].status.podIP}',
    ]);
    const ips = pods.stdout.split(' ').sort();
    expect(ips).to.have.length(3);
    const r = await k(['describe', 'svc', 'frontend']);
    expect(r.code, r.stderr).to.equal(0);
    const line = /^Endpoints:\s+(.*)$/m.exec(r.stdout)?.[1] ?? '';
    expect(
      line
        .split(',')
        .map((e) => e.replace(/:80$/, ''))
        .sort(),
    ).to.deep.equal(ips);
    const slices = await k(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=frontend']);
    expect(slices.stdout).to.match(/^frontend-[a-z0-9]{5}\s+IPv4\s+80\s+\S+\s+\d+[sm]$/m);
  });

  it('follows a deployment scale-down in the service endpoints', async () => {
    const scaled = await k(['scale', 'deployment/frontend', '--replicas=1']);
    expect(scaled.code, scaled.stderr).to.equal(0);
    const deadline = Date.now() + 15_000;
    let endpoints = '';
    while (Date.now() < deadline) {
      endpoints = (
        await k(['get', 'endpoints', 'frontend', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])
      ).stdout;
      if (endpoints.split(' ').length === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(endpoints.split(' ')).to.have.length(1);
  });

  it('rolls out a StatefulSet with ordinal pods, bound claims and named-port endpoints', async () => {
    const r = await k(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('partitioned roll out complete: 3 new pods have been updated...');
    const pods = await k([
      'get',
      'pods',
      '-l',
      'app=db',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(pods.stdout.split(' ').sort()).to.deep.equal(['db-0', 'db-1', 'db-2']);
    const pvc = await k([
      'get',
      'pvc',
      'data-db-1',
      '-o',
      'jsonpath={.status.phase} {.spec.storageClassName}',
    ]);
    expect(pvc.stdout).to.equal('Bound standard');
    const ep = await k(['get', 'endpoints', 'db', '-o', 'jsonpath={.subsets[0].ports[0].port}']);
    expect(ep.stdout).to.equal('5432');
  });

  it('rolls a StatefulSet to a new image and back with rollout undo', async () => {
    expect((await k(['set', 'image', 'statefulset/db', 'db=postgres:17'])).code).to.equal(0);
    const rolled = await k(['rollout', 'status', 'statefulset/db', '--timeout=30s']);
    expect(rolled.code, rolled.stderr).to.equal(0);
    const images = async () =>
      (
        await k([
          'get',
          'pods',
          '-l',
          'app=db',
          '-o',
          'jsonpath={.items[*].spec.containers[0].image}',
        ])
      ).stdout;
    expect(await images()).to.equal('postgres:17 postgres:17 postgres:17');
    const undo = await k(['rollout', 'undo', 'statefulset/db']);
    expect(undo.stdout).to.contain('statefulset.apps/db rolled back');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await images()) !== 'postgres:16 postgres:16 postgres:16')
      await new Promise((r) => setTimeout(r, 100));
    expect(await images()).to.equal('postgres:16 postgres:16 postgres:16');
    const history = await k(['rollout', 'history', 'statefulset/db']);
    expect(history.stdout).to.match(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
  });

  it('runs one DaemonSet pod on each schedulable node and skips the tainted control plane', async () => {
    const r = await k(['rollout', 'status', 'daemonset/agent', '--timeout=30s']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('daemon set "agent" successfully rolled out');
    const nodes = await k([
      'get',
      'pods',
      '-l',
      'app=agent',
      '-o',
      'jsonpath={.items[*].spec.nodeName}',
    ]);
    expect(nodes.stdout.split(' ').sort()).to.deep.equal([
      'kubesim-1-worker-1',
      'kubesim-1-worker-2',
    ]);
  });

  it('completes a Job whose pods run to completion', async () => {
    const r = await k(['wait', '--for=condition=complete', 'job/migrate', '--timeout=30s']);
    expect(r.code, r.stderr).to.equal(0);
    const job = await k(['get', 'job', 'migrate']);
    expect(job.stdout).to.match(/^migrate\s+Complete\s+2\/2\s/m);
    const pods = await k(['get', 'pods', '-l', 'job-name=migrate', '--no-headers']);
    const lines = pods.stdout.trim().split('\n');
    expect(lines).to.have.length(2);
    for (const l of lines) expect(l).to.match(/^migrate-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s/);
  });
});
