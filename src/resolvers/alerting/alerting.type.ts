/** GraphQL views of alert rules, alerts and notifiers (never a notifier secret). */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  Alert,
  AlertCondition,
  AlertRule,
  Notifier,
  NotifierDelivery,
} from '../../domain/alerting.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import {
  AlertConditionKindEnum,
  AlertSeverityEnum,
  AlertStateEnum,
  NodeConditionEnum,
  NotifierKindEnum,
  ResourceNameEnum,
} from './alerting-enums.js';
import { qualifiedProjectId } from './tool-scope.js';

@ObjectType({
  description: 'What a rule watches; fields other than `kind` belong to some kinds only.',
})
export class AlertConditionView {
  @Field(() => AlertConditionKindEnum)
  kind!: string;

  @Field(() => NodeConditionEnum, { nullable: true })
  nodeCondition!: string | null;

  @Field(() => ResourceNameEnum, { nullable: true })
  resource!: string | null;

  @Field(() => Int, { nullable: true })
  thresholdPercent!: number | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true })
  involvedKind!: string | null;

  @Field(() => Int, { nullable: true })
  windowSeconds!: number | null;

  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field(() => Int, { nullable: true })
  availablePercent!: number | null;

  @Field(() => Int, { nullable: true })
  restarts!: number | null;
}

export function toCondition(c: AlertCondition): AlertConditionView {
  const any = c as Partial<Record<string, unknown>>;
  const n = (k: string) => (typeof any[k] === 'number' ? (any[k] as number) : null);
  const s = (k: string) => (typeof any[k] === 'string' ? (any[k] as string) : null);
  return {
    kind: c.kind,
    nodeCondition: c.kind === 'nodeCondition' ? c.condition : null,
    resource: s('resource'),
    thresholdPercent: n('thresholdPercent'),
    reason: s('reason'),
    involvedKind: s('involvedKind'),
    windowSeconds: n('windowSeconds'),
    namespace: s('namespace'),
    availablePercent: n('availablePercent'),
    restarts: n('restarts'),
  };
}

@ObjectType()
export class AlertRuleView {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID, {
    nullable: true,
    description: '`<clusterId>:<projectId>`; null for a cluster rule.',
  })
  projectId!: string | null;

  @Field(() => AlertConditionView)
  condition!: AlertConditionView;

  @Field(() => AlertSeverityEnum)
  severity!: string;

  @Field(() => Int)
  forSeconds!: number;

  @Field(() => Int)
  groupWaitSeconds!: number;

  @Field(() => Int)
  groupIntervalSeconds!: number;

  @Field(() => Int)
  repeatIntervalSeconds!: number;

  @Field(() => [ID])
  notifierIds!: string[];

  @Field(() => [String])
  groupBy!: string[];

  @Field(() => Date, { nullable: true, description: 'Notifications are held until then.' })
  mutedUntil!: Date | null;

  @Field()
  enabled!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toRule(r: AlertRule): AlertRuleView {
  return {
    id: r.id,
    name: r.name,
    clusterId: r.scope.clusterId,
    projectId: qualifiedProjectId(r.scope.clusterId, r.scope.projectId),
    condition: toCondition(r.condition),
    severity: r.severity,
    forSeconds: r.forSeconds,
    groupWaitSeconds: r.groupWaitSeconds,
    groupIntervalSeconds: r.groupIntervalSeconds,
    repeatIntervalSeconds: r.repeatIntervalSeconds,
    notifierIds: [...r.notifierIds],
    groupBy: [...r.groupBy],
    mutedUntil: r.mutedUntil === undefined ? null : new Date(r.mutedUntil),
    enabled: r.enabled,
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  };
}

@ObjectType()
export class AlertView {
  @Field(() => ID)
  fingerprint!: string;

  @Field(() => ID)
  ruleId!: string;

  @Field()
  ruleName!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => AlertSeverityEnum)
  severity!: string;

  @Field(() => AlertStateEnum)
  state!: string;

  @Field(() => JSONScalar, { description: 'Label name to value.' })
  labels!: Record<string, string>;

  @Field()
  summary!: string;

  @Field(() => Date, { description: 'When the condition was first seen.' })
  activeAt!: Date;

  @Field(() => Date, { nullable: true })
  firingAt!: Date | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field({ description: "The rule is muted: the alert's notifications are held." })
  muted!: boolean;
}

export function toAlert(a: Alert): AlertView {
  return {
    fingerprint: a.fingerprint,
    ruleId: a.ruleId,
    ruleName: a.ruleName,
    clusterId: a.clusterId,
    projectId: qualifiedProjectId(a.clusterId, a.projectId),
    severity: a.severity,
    state: a.state,
    labels: { ...a.labels },
    summary: a.summary,
    activeAt: new Date(a.activeAt),
    firingAt: a.firingAt === undefined ? null : new Date(a.firingAt),
    resolvedAt: a.resolvedAt === undefined ? null : new Date(a.resolvedAt),
    muted: a.muted,
  };
}

@ObjectType()
export class AlertChangeView {
  @Field({ description: '`updated` or `removed`.' })
  type!: string;

  @Field(() => AlertView)
  alert!: AlertView;
}

@ObjectType({ description: 'The outcome of the last notification or test sent to a notifier.' })
export class NotifierDeliveryView {
  @Field(() => Date)
  at!: Date;

  @Field()
  ok!: boolean;

  @Field(() => Int)
  attempts!: number;

  @Field({ description: "The receiver's answer or the error, without secrets." })
  message!: string;

  @Field()
  test!: boolean;
}

export function toDelivery(d: NotifierDelivery): NotifierDeliveryView {
  return { ...d, at: new Date(d.at) };
}

@ObjectType()
export class NotifierView {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field()
  name!: string;

  @Field(() => NotifierKindEnum)
  kind!: string;

  @Field(() => JSONScalar, { description: 'Public settings; secrets are never returned.' })
  settings!: Record<string, unknown>;

  @Field(() => [String], { description: 'Names of the secret fields that are set.' })
  secretFields!: string[];

  @Field()
  sendResolved!: boolean;

  @Field(() => NotifierDeliveryView, { nullable: true })
  lastDelivery!: NotifierDeliveryView | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export function toNotifier(n: Notifier): NotifierView {
  return {
    id: n.id,
    clusterId: n.clusterId,
    name: n.name,
    kind: n.kind,
    settings: { ...n.settings },
    secretFields: [...n.secretFields],
    sendResolved: n.sendResolved,
    lastDelivery: n.lastDelivery ? toDelivery(n.lastDelivery) : null,
    createdAt: new Date(n.createdAt),
    updatedAt: new Date(n.updatedAt),
  };
}
