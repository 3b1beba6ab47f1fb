import { expect } from 'chai';
import type { ClusterView } from '../../../src/alerting/evaluate/cluster-view.js';
import { evaluateCondition } from '../../../src/alerting/evaluate/evaluate-condition.js';
import { RestartTracker } from '../../../src/alerting/evaluate/restart-tracker.js';
import type { AlertCondition, AlertRule } from '../../../src/domain/alerting.js';
import type { ClusterHealth } from '../../../src/domain/cluster.js';
import type { InformedKind } from '../../../src/domain/cluster-informers.js';
import type { KubeObject } from '../../../src/domain/kube-api.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const cond = (type: string, status: string, extra: Record<string, unknown> = {}) => ({
  type,
  status,
  ...extra,
});
const node = (
  name: string,
  conditions: unknown[],
  spec: Record<string, unknown> = {},
  allocatable = { cpu: '4', memory: '8Gi' },
): KubeObject => ({
  metadata: { name },
  spec,
  status: { conditions, allocatable },
});
const pod = (
  ns: string,
  name: string,
  status: Record<string, unknown>,
  requests = { cpu: '100m', memory: '128Mi' },
): KubeObject => ({
  metadata: { name, namespace: ns, uid: `${ns}-${name}` },
  spec: { containers: [{ name: 'c', resources: { requests } }] },
  status,
});

function view(
  objects: Partial<Record<InformedKind, KubeObject[]>>,
  health?: ClusterHealth,
  now = NOW,
): ClusterView {
  return {
    clusterId: 'one',
    now,
    health,
    list: (kind) => objects[kind] ?? [],
    projectOf: (ns) => (ns === 'shop' || ns === 'cart' ? 'p-shop' : undefined),
  };
}
const rule = (condition: AlertCondition, projectId?: string): AlertRule => ({
  id: 'ar-1',
  name: 'r',
  scope: { clusterId: 'one', ...(projectId ? { projectId } : {}) },
  condition,
  severity: 'warning',
  forSeconds: 0,
  groupWaitSeconds: 0,
  groupIntervalSeconds: 1,
  repeatIntervalSeconds: 60,
  notifierIds: [],
  groupBy: [],
  enabled: true,
  createdAt: 0,
  updatedAt: 0,
});
const run = (
  c: AlertCondition,
  v: ClusterView,
  projectId?: string,
  tracker = new RestartTracker(),
) => evaluateCondition(rule(c, projectId), v, tracker);

describe('alert conditions', () => {
  it('sees an unavailable or unauthorized cluster, not an active or pending one', () => {
    const c: AlertCondition = { kind: 'clusterUnhealthy' };
    expect(
      run(c, view({}, { state: 'unavailable', message: 'connection refused' }))[0]?.summary,
    ).to.equal('cluster one is unavailable: connection refused');
    expect(run(c, view({}, { state: 'unauthorized' }))).to.have.length(1);
    expect(run(c, view({}, { state: 'active' }))).to.have.length(0);
    expect(run(c, view({}, { state: 'pending' }))).to.have.length(0);
  });

  it('finds NotReady (Unknown or False), each pressure and cordoned nodes', () => {
    const nodes = [
      node('ok', [cond('Ready', 'True'), cond('MemoryPressure', 'False')]),
      node('unknown', [
        cond('Ready', 'Unknown', { message: 'Kubelet stopped posting node status.' }),
      ]),
      node('false', [cond('Ready', 'False')]),
      node('mem', [
        cond('Ready', 'True'),
        cond('MemoryPressure', 'True'),
        cond('DiskPressure', 'True'),
      ]),
      node('pid', [cond('Ready', 'True'), cond('PIDPressure', 'True')]),
      node('cordoned', [cond('Ready', 'True')], { unschedulable: true }),
    ];
    const names = (
      condition: 'NotReady' | 'MemoryPressure' | 'DiskPressure' | 'PIDPressure' | 'Cordoned',
    ) => run({ kind: 'nodeCondition', condition }, view({ nodes })).map((a) => a.labels.node);
    expect(names('NotReady')).to.deep.equal(['unknown', 'false']);
    expect(names('MemoryPressure')).to.deep.equal(['mem']);
    expect(names('DiskPressure')).to.deep.equal(['mem']);
    expect(names('PIDPressure')).to.deep.equal(['pid']);
    expect(names('Cordoned')).to.deep.equal(['cordoned']);
  });

  it('compares the requests of running pods with the allocatable of all nodes', () => {
    const nodes = [node('a', [], {}, { cpu: '1', memory: '1Gi' })];
    const pods = [
      pod('shop', 'a', { phase: 'Running' }, { cpu: '600m', memory: '100Mi' }),
      pod('shop', 'b', { phase: 'Running' }, { cpu: '300m', memory: '100Mi' }),
      pod('shop', 'done', { phase: 'Succeeded' }, { cpu: '900m', memory: '100Mi' }),
    ];
    const over = run(
      { kind: 'resourceRequests', resource: 'cpu', thresholdPercent: 80 },
      view({ nodes, pods }),
    );
    expect(over[0]?.summary).to.equal('cpu requests are 90% of allocatable (above 80%)');
    expect(
      run(
        { kind: 'resourceRequests', resource: 'cpu', thresholdPercent: 95 },
        view({ nodes, pods }),
      ),
    ).to.have.length(0);
    expect(
      run(
        { kind: 'resourceRequests', resource: 'memory', thresholdPercent: 50 },
        view({ nodes, pods }),
      ),
    ).to.have.length(0);
  });

  it('matches Warning events by reason and involved kind within the window', () => {
    const ev = (
      name: string,
      type: string,
      reason: string,
      kind: string,
      at: number,
    ): KubeObject => ({
      metadata: { name, namespace: 'shop' },
      type,
      reason,
      message: `${reason} happened`,
      involvedObject: { kind, name: `${kind.toLowerCase()}-1`, namespace: 'shop' },
      lastTimestamp: new Date(at).toISOString(),
    });
    const events = [
      ev('a', 'Warning', 'FailedMount', 'Pod', NOW - 10_000),
      ev('b', 'Normal', 'Pulled', 'Pod', NOW - 10_000),
      ev('c', 'Warning', 'FailedMount', 'Pod', NOW - 600_000),
      ev('d', 'Warning', 'NodeNotReady', 'Node', NOW - 1_000),
    ];
    expect(
      run({ kind: 'warningEvent' }, view({ events })).map((a) => a.labels.reason),
    ).to.deep.equal(['FailedMount', 'NodeNotReady']);
    expect(run({ kind: 'warningEvent', reason: 'FailedMount' }, view({ events }))).to.have.length(
      1,
    );
    expect(
      run({ kind: 'warningEvent', involvedKind: 'Node' }, view({ events }))[0]?.labels,
    ).to.include({ kind: 'Node', name: 'node-1' });
    expect(
      run({ kind: 'warningEvent', windowSeconds: 5 }, view({ events })).map((a) => a.labels.reason),
    ).to.deep.equal(['NodeNotReady']);
  });

  it('reports system pods that are not ready, in kube-system by default', () => {
    const pods = [
      pod('kube-system', 'etcd', { phase: 'Running', conditions: [cond('Ready', 'True')] }),
      pod('kube-system', 'scheduler', { phase: 'Running', conditions: [cond('Ready', 'False')] }),
      pod('kube-system', 'job', { phase: 'Succeeded' }),
      pod('shop', 'web', { phase: 'Pending' }),
    ];
    expect(
      run({ kind: 'systemComponentUnhealthy' }, view({ pods })).map((a) => a.labels.pod),
    ).to.deep.equal(['scheduler']);
  });

  it("finds a project's workloads with fewer available replicas than desired, and only the project's", () => {
    const deployments: KubeObject[] = [
      {
        metadata: { name: 'web', namespace: 'shop' },
        spec: { replicas: 3 },
        status: { availableReplicas: 2 },
      },
      {
        metadata: { name: 'full', namespace: 'shop' },
        spec: { replicas: 2 },
        status: { availableReplicas: 2 },
      },
      { metadata: { name: 'other', namespace: 'payments' }, spec: { replicas: 2 }, status: {} },
    ];
    const daemonsets: KubeObject[] = [
      {
        metadata: { name: 'agent', namespace: 'cart' },
        spec: {},
        status: { desiredNumberScheduled: 3, numberAvailable: 1 },
      },
    ];
    const found = run({ kind: 'workloadUnavailable' }, view({ deployments, daemonsets }), 'p-shop');
    expect(found.map((a) => a.labels.workload)).to.deep.equal([
      'deployment/web',
      'daemonset/agent',
    ]);
    expect(
      run(
        { kind: 'workloadUnavailable', availablePercent: 50 },
        view({ deployments, daemonsets }),
        'p-shop',
      ).map((a) => a.labels.workload),
    ).to.deep.equal(['daemonset/agent']);
  });

  it('fires on CrashLoopBackOff at once, and on more restarts than allowed within the window', () => {
    const tracker = new RestartTracker();
    const restarting = (count: number) =>
      pod('shop', 'flaky', {
        phase: 'Running',
        containerStatuses: [{ name: 'c', restartCount: count, state: { running: {} } }],
      });
    const looping = pod('shop', 'loop', {
      phase: 'Running',
      containerStatuses: [
        { name: 'c', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    });
    const c: AlertCondition = { kind: 'podRestarts', restarts: 3, windowSeconds: 60 };
    expect(
      run(c, view({ pods: [restarting(10), looping] }, undefined, NOW), 'p-shop', tracker).map(
        (a) => a.labels.pod,
      ),
    ).to.deep.equal(['loop']);
    expect(
      run(c, view({ pods: [restarting(12)] }, undefined, NOW + 10_000), 'p-shop', tracker),
    ).to.have.length(0);
    expect(
      run(c, view({ pods: [restarting(14)] }, undefined, NOW + 20_000), 'p-shop', tracker).map(
        (a) => a.summary,
      ),
    ).to.deep.equal(['pod shop/flaky restarted 4 times in 60 s']);
    // The window moves on: the restarts counted before it no longer count.
    expect(
      run(c, view({ pods: [restarting(14)] }, undefined, NOW + 100_000), 'p-shop', tracker),
    ).to.have.length(0);
  });

  it('finds failed Jobs and pending PVCs of the project', () => {
    const jobs: KubeObject[] = [
      {
        metadata: { name: 'migrate', namespace: 'shop' },
        status: { conditions: [cond('Failed', 'True', { reason: 'BackoffLimitExceeded' })] },
      },
      {
        metadata: { name: 'ok', namespace: 'shop' },
        status: { conditions: [cond('Complete', 'True')] },
      },
    ];
    const persistentvolumeclaims: KubeObject[] = [
      { metadata: { name: 'data', namespace: 'cart' }, status: { phase: 'Pending' } },
      { metadata: { name: 'bound', namespace: 'cart' }, status: { phase: 'Bound' } },
      { metadata: { name: 'elsewhere', namespace: 'payments' }, status: { phase: 'Pending' } },
    ];
    expect(run({ kind: 'jobFailed' }, view({ jobs }), 'p-shop')[0]?.summary).to.equal(
      'job shop/migrate failed: BackoffLimitExceeded',
    );
    expect(
      run({ kind: 'pvcPending' }, view({ persistentvolumeclaims }), 'p-shop').map(
        (a) => a.labels.pvc,
      ),
    ).to.deep.equal(['data']);
  });
});
