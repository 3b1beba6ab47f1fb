/**
 * Project-scope conditions, over the namespaces of one project: workloads with fewer available
 * replicas than desired, pods restarting or in CrashLoopBackOff, failed Jobs, pending PVCs.
 */
import type { AlertCondition } from '../../domain/alerting.js';
import type { KubeObject } from '../../domain/kube-api.js';
import { type ActiveAlert, arr, type ClusterView, conditionOf, obj } from './cluster-view.js';
import type { RestartTracker } from './restart-tracker.js';

const inProject = (view: ClusterView, projectId: string) => (o: KubeObject) =>
  o.metadata.namespace !== undefined && view.projectOf(o.metadata.namespace) === projectId;

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export function workloadUnavailable(
  view: ClusterView,
  projectId: string,
  c: Extract<AlertCondition, { kind: 'workloadUnavailable' }>,
): ActiveAlert[] {
  const percent = c.availablePercent ?? 100;
  const out: ActiveAlert[] = [];
  const check = (kind: string, o: KubeObject, desired: number, available: number) => {
    if (desired <= 0 || available >= Math.ceil((desired * percent) / 100)) return;
    const ns = o.metadata.namespace ?? '';
    out.push({
      labels: { namespace: ns, workload: `${kind}/${o.metadata.name}` },
      summary: `${kind} ${ns}/${o.metadata.name} has ${available} of ${desired} replicas available`,
    });
  };
  const mine = inProject(view, projectId);
  for (const d of view.list('deployments').filter(mine))
    check('deployment', d, num(obj(d.spec).replicas ?? 1), num(obj(d.status).availableReplicas));
  for (const s of view.list('statefulsets').filter(mine))
    check(
      'statefulset',
      s,
      num(obj(s.spec).replicas ?? 1),
      num(obj(s.status).availableReplicas ?? obj(s.status).readyReplicas),
    );
  for (const d of view.list('daemonsets').filter(mine))
    check(
      'daemonset',
      d,
      num(obj(d.status).desiredNumberScheduled),
      num(obj(d.status).numberAvailable),
    );
  return out;
}

export function podRestarts(
  view: ClusterView,
  projectId: string,
  c: Extract<AlertCondition, { kind: 'podRestarts' }>,
  tracker: RestartTracker,
): ActiveAlert[] {
  const out: ActiveAlert[] = [];
  for (const pod of view.list('pods').filter(inProject(view, projectId))) {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const increase = tracker.increase(view.clusterId, pod, view.now, c.windowSeconds * 1000);
    const looping = arr(obj(pod.status).containerStatuses).find(
      (s) => obj(obj(s.state).waiting).reason === 'CrashLoopBackOff',
    );
    if (looping) {
      out.push({
        labels: { namespace: ns, pod: name },
        summary: `pod ${ns}/${name}: container ${String(looping.name)} is in CrashLoopBackOff (${num(looping.restartCount)} restarts)`,
      });
    } else if (increase > c.restarts) {
      out.push({
        labels: { namespace: ns, pod: name },
        summary: `pod ${ns}/${name} restarted ${increase} times in ${c.windowSeconds} s`,
      });
    }
  }
  return out;
}

export function jobFailed(view: ClusterView, projectId: string): ActiveAlert[] {
  return view
    .list('jobs')
    .filter(inProject(view, projectId))
    .filter((j) => conditionOf(j, 'Failed')?.status === 'True')
    .map((j) => ({
      labels: { namespace: j.metadata.namespace ?? '', job: j.metadata.name ?? '' },
      summary: `job ${j.metadata.namespace}/${j.metadata.name} failed: ${String(conditionOf(j, 'Failed')?.reason ?? '')}`,
    }));
}

export function pvcPending(view: ClusterView, projectId: string): ActiveAlert[] {
  return view
    .list('persistentvolumeclaims')
    .filter(inProject(view, projectId))
    .filter((p) => obj(p.status).phase === 'Pending')
    .map((p) => ({
      labels: { namespace: p.metadata.namespace ?? '', pvc: p.metadata.name ?? '' },
      summary: `persistent volume claim ${p.metadata.namespace}/${p.metadata.name} is pending`,
    }));
}
