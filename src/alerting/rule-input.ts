/** Turns a rule input into a stored rule, refusing anything that does not fit by field name. */
import {
  type AlertCondition,
  type AlertRule,
  type AlertRuleInput,
  type AlertSeverity,
  CLUSTER_CONDITION_KINDS,
  type NodeConditionKind,
  PROJECT_CONDITION_KINDS,
  type ToolScope,
} from '../domain/alerting.js';
import { invalid } from './invalid-input.js';

/** Alertmanager's defaults for the timing model (`for` is Prometheus' usual minute). */
export const DEFAULT_TIMING = {
  forSeconds: 60,
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
};

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
const NODE_CONDITIONS: readonly NodeConditionKind[] = [
  'NotReady',
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'Cordoned',
];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,62}$/;
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,62}$/u;
const DAY = 24 * 3600;

function seconds(field: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > 30 * DAY)
    throw invalid(field, `must be a whole number of seconds from ${min} to ${30 * DAY}`);
  return value;
}

function condition(scope: ToolScope, c: AlertCondition): AlertCondition {
  const kinds = scope.projectId === undefined ? CLUSTER_CONDITION_KINDS : PROJECT_CONDITION_KINDS;
  if (!kinds.includes(c.kind)) {
    throw invalid(
      'condition.kind',
      `${JSON.stringify(c.kind)} is not a ${scope.projectId === undefined ? 'cluster' : 'project'} condition; use one of ${kinds.join(', ')}`,
    );
  }
  switch (c.kind) {
    case 'nodeCondition':
      if (!NODE_CONDITIONS.includes(c.condition))
        throw invalid('condition.nodeCondition', `must be one of ${NODE_CONDITIONS.join(', ')}`);
      return { kind: c.kind, condition: c.condition };
    case 'resourceRequests':
      if (c.resource !== 'cpu' && c.resource !== 'memory')
        throw invalid('condition.resource', 'must be cpu or memory');
      if (!(c.thresholdPercent > 0 && c.thresholdPercent <= 1000))
        throw invalid('condition.thresholdPercent', 'must be above 0 and at most 1000');
      return { kind: c.kind, resource: c.resource, thresholdPercent: c.thresholdPercent };
    case 'warningEvent':
      return {
        kind: c.kind,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.involvedKind ? { involvedKind: c.involvedKind } : {}),
        windowSeconds: seconds('condition.windowSeconds', c.windowSeconds, 300, 10),
      };
    case 'systemComponentUnhealthy':
      return { kind: c.kind, ...(c.namespace ? { namespace: c.namespace } : {}) };
    case 'workloadUnavailable': {
      const p = c.availablePercent ?? 100;
      if (!(p > 0 && p <= 100)) throw invalid('condition.availablePercent', 'must be 1 to 100');
      return { kind: c.kind, availablePercent: p };
    }
    case 'podRestarts':
      if (!Number.isInteger(c.restarts) || c.restarts < 0 || c.restarts > 10_000)
        throw invalid('condition.restarts', 'must be a whole number from 0 to 10000');
      return {
        kind: c.kind,
        restarts: c.restarts,
        windowSeconds: seconds('condition.windowSeconds', c.windowSeconds, 600, 10),
      };
    default:
      return { kind: c.kind } as AlertCondition;
  }
}

export function buildRule(
  id: string,
  scope: ToolScope,
  input: AlertRuleInput,
  before: AlertRule | undefined,
  now: number,
): AlertRule {
  if (typeof input.name !== 'string' || !NAME.test(input.name))
    throw invalid('name', 'must be 1-63 letters, digits, spaces, dots, dashes or underscores');
  if (input.condition === undefined || typeof input.condition !== 'object')
    throw invalid('condition', 'is required');
  const severity = input.severity ?? before?.severity ?? 'warning';
  if (!SEVERITIES.includes(severity))
    throw invalid('severity', `must be one of ${SEVERITIES.join(', ')}`);
  const groupBy = [...(input.groupBy ?? before?.groupBy ?? [])];
  for (const name of groupBy) {
    if (!LABEL_NAME.test(name))
      throw invalid('groupBy', `${JSON.stringify(name)} is not a label name`);
  }
  const notifierIds = [...new Set(input.notifierIds ?? before?.notifierIds ?? [])];
  if (notifierIds.length > 20) throw invalid('notifierIds', 'at most 20 notifiers per rule');
  const base = before ?? DEFAULT_TIMING;
  return {
    id,
    name: input.name,
    scope,
    condition: condition(scope, input.condition),
    severity,
    forSeconds: seconds('forSeconds', input.forSeconds, base.forSeconds, 0),
    groupWaitSeconds: seconds('groupWaitSeconds', input.groupWaitSeconds, base.groupWaitSeconds, 0),
    groupIntervalSeconds: seconds(
      'groupIntervalSeconds',
      input.groupIntervalSeconds,
      base.groupIntervalSeconds,
      1,
    ),
    repeatIntervalSeconds: seconds(
      'repeatIntervalSeconds',
      input.repeatIntervalSeconds,
      base.repeatIntervalSeconds,
      1,
    ),
    notifierIds,
    groupBy,
    ...(before?.mutedUntil !== undefined ? { mutedUntil: before.mutedUntil } : {}),
    enabled: input.enabled ?? before?.enabled ?? true,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
}
