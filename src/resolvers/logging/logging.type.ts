/** GraphQL views and inputs of logging targets (secrets go in, never come back). */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  LoggingPushStatus,
  LoggingTarget,
  LoggingTargetInput,
  LoggingTestResult,
} from '../../domain/logging.js';
import { qualifiedProjectId } from '../alerting/tool-scope.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { invalid } from '../cluster/validate-input.js';

export const LoggingTargetKindEnum = {
  ELASTICSEARCH: 'elasticsearch',
  SPLUNK: 'splunk',
  KAFKA: 'kafka',
  SYSLOG: 'syslog',
  FLUENTD: 'fluentd',
  HTTP: 'http',
} as const;
registerEnumType(LoggingTargetKindEnum, {
  name: 'LoggingTargetKind',
  description:
    'Settings and secrets per kind — ELASTICSEARCH: host, port, index, tls, username, caPem; secret password. SPLUNK: host, port, tls, index, caPem; secret token. KAFKA: brokers, topic, tls, saslMechanism, saslUsername, caPem; secret saslPassword. SYSLOG: host, port, mode (udp|tcp|tls), format (rfc5424|rfc3164), caPem. FLUENTD: host, port, tls, selfHostname, tag, caPem; secret sharedKey. HTTP: url, caPem; secret authorization (header value).',
});

@ObjectType()
export class LoggingTargetView {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID, {
    nullable: true,
    description: '`<clusterId>:<projectId>`; null at cluster scope.',
  })
  projectId!: string | null;

  @Field(() => LoggingTargetKindEnum)
  kind!: string;

  @Field(() => JSONScalar, { description: 'Public settings; secrets are never returned.' })
  settings!: Record<string, unknown>;

  @Field(() => [String], { description: 'Names of the secret fields that are set.' })
  secretFields!: string[];

  @Field()
  enabled!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toTarget(t: LoggingTarget): LoggingTargetView {
  return {
    id: t.id,
    name: t.name,
    clusterId: t.scope.clusterId,
    projectId: qualifiedProjectId(t.scope.clusterId, t.scope.projectId),
    kind: t.kind,
    settings: { ...t.settings },
    secretFields: [...t.secretFields],
    enabled: t.enabled,
    createdAt: new Date(t.createdAt),
    updatedAt: new Date(t.updatedAt),
  };
}

@ObjectType()
export class LoggingTestResultView {
  @Field(() => Date)
  at!: Date;

  @Field()
  ok!: boolean;

  @Field({ description: 'What the target answered, or the error.' })
  message!: string;
}

export const toTestResult = (r: LoggingTestResult): LoggingTestResultView => ({
  ...r,
  at: new Date(r.at),
});

@ObjectType({ description: "The last push of a cluster's log collector." })
export class LoggingPushStatusView {
  @Field(() => Date)
  at!: Date;

  @Field({ description: 'The collector runs (at least one enabled target).' })
  deployed!: boolean;

  @Field(() => Int)
  changes!: number;

  @Field(() => [String])
  errors!: string[];
}

export const toPushStatus = (s: LoggingPushStatus): LoggingPushStatusView => ({
  at: new Date(s.at),
  deployed: s.deployed,
  changes: s.changes,
  errors: [...s.errors],
});

@InputType()
export class LoggingTargetInputType {
  @Field()
  name!: string;

  @Field(() => LoggingTargetKindEnum)
  kind!: LoggingTargetInput['kind'];

  @Field(() => JSONScalar, { nullable: true })
  settings?: Record<string, unknown> | null;

  @Field(() => JSONScalar, { nullable: true, description: 'Secret fields; omitted ones are kept.' })
  secrets?: Record<string, string> | null;

  @Field({ nullable: true })
  enabled?: boolean;
}

export function toTargetInput(i: LoggingTargetInputType): LoggingTargetInput {
  const obj = (field: string, v: unknown) => {
    if (v == null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw invalid(field, 'must be a JSON object');
    return v as Record<string, never>;
  };
  return {
    name: i.name,
    kind: i.kind,
    settings: obj('settings', i.settings),
    secrets: obj('secrets', i.secrets),
    ...(i.enabled != null ? { enabled: i.enabled } : {}),
  };
}
