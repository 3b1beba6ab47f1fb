/**
 * Alerts as the entry points see them: rules at cluster and project scope, the alerts they
 * raise (pending, firing, resolved), and notifiers (where alerts go). `src/alerting` implements
 * `AlertingAdmin`; every method takes the caller and checks it may do that at that scope.
 */
import type { Identity } from './identity.js';

export type AlertSeverity = 'critical' | 'warning' | 'info';
export type AlertState = 'pending' | 'firing' | 'resolved';

/** Where a rule, notifier or logging target lives. */
export interface ToolScope {
  readonly clusterId: string;
  /** Absent for cluster scope. */
  readonly projectId?: string;
}

export type NodeConditionKind =
  | 'NotReady'
  | 'MemoryPressure'
  | 'DiskPressure'
  | 'PIDPressure'
  | 'Cordoned';

/** What a rule watches; cluster-scope kinds first, then project-scope kinds. */
export type AlertCondition =
  | { readonly kind: 'clusterUnhealthy' }
  | { readonly kind: 'nodeCondition'; readonly condition: NodeConditionKind }
  | {
      readonly kind: 'resourceRequests';
      readonly resource: 'cpu' | 'memory';
      /** Fires when requested / allocatable exceeds this percentage. */
      readonly thresholdPercent: number;
    }
  | {
      readonly kind: 'warningEvent';
      /** Matches every reason when absent. */
      readonly reason?: string;
      /** `Pod`, `Node`, ...; every kind when absent. */
      readonly involvedKind?: string;
      /** How long an event stays an active alert after it was last seen; default 300 s. */
      readonly windowSeconds?: number;
    }
  | {
      readonly kind: 'systemComponentUnhealthy';
      /** Namespace of the system pods; default `kube-system`. */
      readonly namespace?: string;
    }
  | {
      readonly kind: 'workloadUnavailable';
      /** Fires when available replicas are below this percentage of desired; default 100. */
      readonly availablePercent?: number;
    }
  | {
      readonly kind: 'podRestarts';
      /** More than this many restarts within the window fires; CrashLoopBackOff fires always. */
      readonly restarts: number;
      readonly windowSeconds: number;
    }
  | { readonly kind: 'jobFailed' }
  | { readonly kind: 'pvcPending' };

export type AlertConditionKind = AlertCondition['kind'];

export const CLUSTER_CONDITION_KINDS: readonly AlertConditionKind[] = [
  'clusterUnhealthy',
  'nodeCondition',
  'resourceRequests',
  'warningEvent',
  'systemComponentUnhealthy',
];
export const PROJECT_CONDITION_KINDS: readonly AlertConditionKind[] = [
  'workloadUnavailable',
  'podRestarts',
  'jobFailed',
  'pvcPending',
];

/** The Alertmanager timing model, in seconds. */
export interface AlertTiming {
  /** How long a condition must hold before the alert fires. */
  readonly forSeconds: number;
  /** How long a new group waits to collect more alerts before its first notification. */
  readonly groupWaitSeconds: number;
  /** How long after a notification a group's changes are sent. */
  readonly groupIntervalSeconds: number;
  /** How long after a notification an unchanged firing group is sent again. */
  readonly repeatIntervalSeconds: number;
}

export interface AlertRule extends AlertTiming {
  readonly id: string;
  readonly name: string;
  readonly scope: ToolScope;
  readonly condition: AlertCondition;
  readonly severity: AlertSeverity;
  /** Notifiers of the rule's cluster that receive its groups. */
  readonly notifierIds: readonly string[];
  /** Alert label names that split a rule's alerts into groups (rule and cluster always do). */
  readonly groupBy: readonly string[];
  /** Epoch milliseconds; no notification is sent before then. */
  readonly mutedUntil?: number;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AlertRuleInput extends Partial<AlertTiming> {
  readonly name: string;
  readonly condition: AlertCondition;
  readonly severity?: AlertSeverity;
  readonly notifierIds?: readonly string[];
  readonly groupBy?: readonly string[];
  readonly enabled?: boolean;
}

/** One alert of one rule: a node, a pod, a workload, the cluster itself. */
export interface Alert {
  /** Stable hash of the rule and the labels. */
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly clusterId: string;
  readonly projectId?: string;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  /** `alertname`, `cluster`, `severity` plus what the condition names (`node`, `pod`, ...). */
  readonly labels: Readonly<Record<string, string>>;
  readonly summary: string;
  /** When the condition was first seen (epoch ms). */
  readonly activeAt: number;
  readonly firingAt?: number;
  readonly resolvedAt?: number;
  /** The rule is muted now. */
  readonly muted: boolean;
}

export type NotifierKind =
  | 'webhook'
  | 'slack'
  | 'email'
  | 'pagerduty'
  | 'teams'
  | 'dingtalk'
  | 'wecom'
  | 'alertmanager';

/** The last delivery to a notifier (a group notification or a test). */
export interface NotifierDelivery {
  readonly at: number;
  readonly ok: boolean;
  readonly attempts: number;
  /** The receiver's answer or the error, without secrets. */
  readonly message: string;
  readonly test: boolean;
}

/** A notifier without its secrets: `secretFields` names those set, never their values. */
export interface Notifier {
  readonly id: string;
  readonly clusterId: string;
  readonly name: string;
  readonly kind: NotifierKind;
  /** Public settings (recipients, hosts, channels); secrets are never in here. */
  readonly settings: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly secretFields: readonly string[];
  readonly sendResolved: boolean;
  readonly lastDelivery?: NotifierDelivery;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NotifierInput {
  readonly name: string;
  readonly kind: NotifierKind;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Secret values by field; an absent field keeps its sealed value on update. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly sendResolved?: boolean;
}

export interface AlertFilter {
  readonly clusterId?: string;
  readonly projectId?: string;
  readonly states?: readonly AlertState[];
}

export interface AlertChange {
  readonly type: 'updated' | 'removed';
  readonly alert: Alert;
}

export interface AlertingAdmin {
  rules(caller: Identity, scope: ToolScope): Promise<AlertRule[]>;
  rule(caller: Identity, id: string): Promise<AlertRule>;
  createRule(caller: Identity, scope: ToolScope, input: AlertRuleInput): Promise<AlertRule>;
  updateRule(caller: Identity, id: string, input: AlertRuleInput): Promise<AlertRule>;
  deleteRule(caller: Identity, id: string): Promise<boolean>;
  /** Silences the rule's notifications until `until` (epoch ms); `null` unmutes. */
  muteRule(caller: Identity, id: string, until: number | null): Promise<AlertRule>;

  alerts(caller: Identity, filter: AlertFilter): Promise<Alert[]>;
  /** Calls `listener` with every alert change the caller may see; returns the unsubscribe. */
  watchAlerts(
    caller: Identity,
    filter: AlertFilter,
    listener: (change: AlertChange) => void,
  ): Promise<() => void>;

  /** With `projectId`, read as a member of that project (to pick notifiers for its rules). */
  notifiers(caller: Identity, clusterId: string, projectId?: string): Promise<Notifier[]>;
  createNotifier(caller: Identity, clusterId: string, input: NotifierInput): Promise<Notifier>;
  updateNotifier(caller: Identity, id: string, input: NotifierInput): Promise<Notifier>;
  deleteNotifier(caller: Identity, id: string): Promise<boolean>;
  /** Sends a test message now and records it as the notifier's last delivery. */
  testNotifier(caller: Identity, id: string): Promise<NotifierDelivery>;
}

/**
 * Authorization at a cluster or project: may the identity do this verb to this Paddock
 * resource there (a cluster-owner may everything in the cluster, a project-owner in the project).
 */
export interface ScopedAccessCheck {
  allowsIn(
    identity: Identity,
    request: { readonly verb: string; readonly resource: string },
    scope: ToolScope,
  ): Promise<boolean>;
}
