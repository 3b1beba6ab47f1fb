/** Inputs of the alerting mutations; the adapter validates their content. */
import { Field, ID, InputType, Int } from 'type-graphql';
import type { AlertCondition, AlertRuleInput, NotifierInput } from '../../domain/alerting.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { invalid } from '../cluster/validate-input.js';
import {
  AlertConditionKindEnum,
  AlertSeverityEnum,
  NodeConditionEnum,
  NotifierKindEnum,
  ResourceNameEnum,
} from './alerting-enums.js';

@InputType({ description: 'What to watch; give the fields the kind uses.' })
export class AlertConditionInput {
  @Field(() => AlertConditionKindEnum)
  kind!: AlertCondition['kind'];

  @Field(() => NodeConditionEnum, { nullable: true, description: 'NODE_CONDITION.' })
  nodeCondition?: string | null;

  @Field(() => ResourceNameEnum, { nullable: true, description: 'RESOURCE_REQUESTS.' })
  resource?: string | null;

  @Field(() => Int, { nullable: true, description: 'RESOURCE_REQUESTS: percent of allocatable.' })
  thresholdPercent?: number | null;

  @Field(() => String, { nullable: true, description: 'WARNING_EVENT: event reason.' })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: 'WARNING_EVENT: involved object kind.' })
  involvedKind?: string | null;

  @Field(() => Int, { nullable: true, description: 'WARNING_EVENT, POD_RESTARTS: window.' })
  windowSeconds?: number | null;

  @Field(() => String, { nullable: true, description: 'SYSTEM_COMPONENT_UNHEALTHY: namespace.' })
  namespace?: string | null;

  @Field(() => Int, { nullable: true, description: 'WORKLOAD_UNAVAILABLE: percent.' })
  availablePercent?: number | null;

  @Field(() => Int, { nullable: true, description: 'POD_RESTARTS: more than this fires.' })
  restarts?: number | null;
}

@InputType()
export class AlertRuleInputType {
  @Field()
  name!: string;

  @Field(() => AlertConditionInput)
  condition!: AlertConditionInput;

  @Field(() => AlertSeverityEnum, { nullable: true })
  severity?: string | null;

  @Field(() => Int, { nullable: true, description: 'Default 60.' })
  forSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 30.' })
  groupWaitSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 300.' })
  groupIntervalSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: 'Default 14400.' })
  repeatIntervalSeconds?: number | null;

  @Field(() => [ID], { nullable: true })
  notifierIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Extra label names to group by.' })
  groupBy?: string[] | null;

  @Field({ nullable: true })
  enabled?: boolean;
}

export function toConditionInput(c: AlertConditionInput): AlertCondition {
  const need = <T>(field: string, value: T | null | undefined): T => {
    if (value === null || value === undefined)
      throw invalid(`condition.${field}`, `is required for ${c.kind}`);
    return value;
  };
  switch (c.kind) {
    case 'nodeCondition':
      return { kind: c.kind, condition: need('nodeCondition', c.nodeCondition) as never };
    case 'resourceRequests':
      return {
        kind: c.kind,
        resource: need('resource', c.resource) as 'cpu' | 'memory',
        thresholdPercent: need('thresholdPercent', c.thresholdPercent),
      };
    case 'warningEvent':
      return {
        kind: c.kind,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.involvedKind ? { involvedKind: c.involvedKind } : {}),
        ...(c.windowSeconds != null ? { windowSeconds: c.windowSeconds } : {}),
      };
    case 'systemComponentUnhealthy':
      return { kind: c.kind, ...(c.namespace ? { namespace: c.namespace } : {}) };
    case 'workloadUnavailable':
      return {
        kind: c.kind,
        ...(c.availablePercent != null ? { availablePercent: c.availablePercent } : {}),
      };
    case 'podRestarts':
      return {
        kind: c.kind,
        restarts: need('restarts', c.restarts),
        windowSeconds: c.windowSeconds ?? 600,
      };
    default:
      return { kind: c.kind } as AlertCondition;
  }
}

export function toRuleInput(i: AlertRuleInputType): AlertRuleInput {
  return {
    name: i.name,
    condition: toConditionInput(i.condition),
    ...(i.severity != null ? { severity: i.severity as AlertRuleInput['severity'] } : {}),
    ...(i.forSeconds != null ? { forSeconds: i.forSeconds } : {}),
    ...(i.groupWaitSeconds != null ? { groupWaitSeconds: i.groupWaitSeconds } : {}),
    ...(i.groupIntervalSeconds != null ? { groupIntervalSeconds: i.groupIntervalSeconds } : {}),
    ...(i.repeatIntervalSeconds != null ? { repeatIntervalSeconds: i.repeatIntervalSeconds } : {}),
    ...(i.notifierIds != null ? { notifierIds: i.notifierIds } : {}),
    ...(i.groupBy != null ? { groupBy: i.groupBy } : {}),
    ...(i.enabled != null ? { enabled: i.enabled } : {}),
  };
}

@InputType()
export class NotifierInputType {
  @Field()
  name!: string;

  @Field(() => NotifierKindEnum)
  kind!: NotifierInput['kind'];

  @Field(() => JSONScalar, { nullable: true, description: 'Public settings of the kind.' })
  settings?: Record<string, unknown> | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Secret fields of the kind (string values); omitted fields keep their value.',
  })
  secrets?: Record<string, string> | null;

  @Field({ nullable: true, description: 'Also notify resolutions (default true).' })
  sendResolved?: boolean;
}

export function toNotifierInput(i: NotifierInputType): NotifierInput {
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
    ...(i.sendResolved != null ? { sendResolved: i.sendResolved } : {}),
  };
}
