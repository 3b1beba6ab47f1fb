/** Runs a rule's condition over a cluster view. */
import type { AlertRule } from '../../domain/alerting.js';
import { UnreachableCaseError } from '../../errors/index.js';
import {
  clusterUnhealthy,
  nodeCondition,
  resourceRequests,
  systemComponentUnhealthy,
  warningEvent,
} from './cluster-conditions.js';
import type { ActiveAlert, ClusterView } from './cluster-view.js';
import { jobFailed, podRestarts, pvcPending, workloadUnavailable } from './project-conditions.js';
import type { RestartTracker } from './restart-tracker.js';

export function evaluateCondition(
  rule: AlertRule,
  view: ClusterView,
  tracker: RestartTracker,
): ActiveAlert[] {
  const c = rule.condition;
  const project = rule.scope.projectId ?? '';
  switch (c.kind) {
    case 'clusterUnhealthy':
      return clusterUnhealthy(view);
    case 'nodeCondition':
      return nodeCondition(view, c);
    case 'resourceRequests':
      return resourceRequests(view, c);
    case 'warningEvent':
      return warningEvent(view, c);
    case 'systemComponentUnhealthy':
      return systemComponentUnhealthy(view, c);
    case 'workloadUnavailable':
      return workloadUnavailable(view, project, c);
    case 'podRestarts':
      return podRestarts(view, project, c, tracker);
    case 'jobFailed':
      return jobFailed(view, project);
    case 'pvcPending':
      return pvcPending(view, project);
    default:
      throw new UnreachableCaseError(c);
  }
}

/** Conditions whose result changes with the clock alone (event windows, restart windows). */
export function isTimeDependent(rule: AlertRule): boolean {
  return rule.condition.kind === 'warningEvent' || rule.condition.kind === 'podRestarts';
}
