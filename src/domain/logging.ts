/**
 * Logging targets: where a cluster's logs (all of them, at cluster scope) or a project's
 * (its namespaces' containers) go. Paddock pushes a log collector into each cluster that has
 * targets and removes it when none remains. `src/logging` implements `LoggingAdmin`.
 */
import type { ToolScope } from './alerting.js';
import type { Identity } from './identity.js';

export type LoggingTargetKind =
  | 'elasticsearch'
  | 'splunk'
  | 'kafka'
  | 'syslog'
  | 'fluentd'
  | 'http';

export interface LoggingTarget {
  readonly id: string;
  readonly name: string;
  readonly scope: ToolScope;
  readonly kind: LoggingTargetKind;
  /** Public settings; secrets are never in here. */
  readonly settings: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly secretFields: readonly string[];
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface LoggingTargetInput {
  readonly name: string;
  readonly kind: LoggingTargetKind;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Secret values by field; an absent field keeps its sealed value on update. */
  readonly secrets?: Readonly<Record<string, string>>;
  readonly enabled?: boolean;
}

export interface LoggingTestResult {
  readonly at: number;
  readonly ok: boolean;
  /** What the target answered, or the error, without secrets. */
  readonly message: string;
}

/** The last push-down of the log collector into one cluster. */
export interface LoggingPushStatus {
  readonly clusterId: string;
  readonly at: number;
  /** The collector is deployed (at least one enabled target). */
  readonly deployed: boolean;
  readonly changes: number;
  readonly errors: readonly string[];
}

export interface LoggingAdmin {
  targets(caller: Identity, scope: ToolScope): Promise<LoggingTarget[]>;
  createTarget(
    caller: Identity,
    scope: ToolScope,
    input: LoggingTargetInput,
  ): Promise<LoggingTarget>;
  updateTarget(caller: Identity, id: string, input: LoggingTargetInput): Promise<LoggingTarget>;
  deleteTarget(caller: Identity, id: string): Promise<boolean>;
  /** Sends one record from Paddock to the target now. */
  testTarget(caller: Identity, id: string): Promise<LoggingTestResult>;
  /** The collector's push-down in a cluster (cluster-scope read right). */
  pushStatus(caller: Identity, clusterId: string): Promise<LoggingPushStatus | undefined>;
}

/** Reads the logging controller's last push per cluster. */
export interface LoggingPushStatusReader {
  status(clusterId: string): LoggingPushStatus | undefined;
}
