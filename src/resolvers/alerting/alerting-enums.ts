/** GraphQL enums of alerting (values stay the domain's strings). */
import { registerEnumType } from 'type-graphql';

export const AlertSeverityEnum = {
  CRITICAL: 'critical',
  WARNING: 'warning',
  INFO: 'info',
} as const;
registerEnumType(AlertSeverityEnum, { name: 'AlertSeverity' });

export const AlertStateEnum = {
  PENDING: 'pending',
  FIRING: 'firing',
  RESOLVED: 'resolved',
} as const;
registerEnumType(AlertStateEnum, {
  name: 'AlertState',
  description: 'pending: seen, waiting for `for`; firing: notified; resolved: no longer holds.',
});

export const AlertConditionKindEnum = {
  CLUSTER_UNHEALTHY: 'clusterUnhealthy',
  NODE_CONDITION: 'nodeCondition',
  RESOURCE_REQUESTS: 'resourceRequests',
  WARNING_EVENT: 'warningEvent',
  SYSTEM_COMPONENT_UNHEALTHY: 'systemComponentUnhealthy',
  WORKLOAD_UNAVAILABLE: 'workloadUnavailable',
  POD_RESTARTS: 'podRestarts',
  JOB_FAILED: 'jobFailed',
  PVC_PENDING: 'pvcPending',
} as const;
registerEnumType(AlertConditionKindEnum, {
  name: 'AlertConditionKind',
  description:
    'Cluster scope: CLUSTER_UNHEALTHY, NODE_CONDITION, RESOURCE_REQUESTS, WARNING_EVENT, SYSTEM_COMPONENT_UNHEALTHY. Project scope: WORKLOAD_UNAVAILABLE, POD_RESTARTS, JOB_FAILED, PVC_PENDING.',
});

export const NodeConditionEnum = {
  NOT_READY: 'NotReady',
  MEMORY_PRESSURE: 'MemoryPressure',
  DISK_PRESSURE: 'DiskPressure',
  PID_PRESSURE: 'PIDPressure',
  CORDONED: 'Cordoned',
} as const;
registerEnumType(NodeConditionEnum, { name: 'NodeConditionKind' });

export const ResourceNameEnum = { CPU: 'cpu', MEMORY: 'memory' } as const;
registerEnumType(ResourceNameEnum, { name: 'RequestedResource' });

export const NotifierKindEnum = {
  WEBHOOK: 'webhook',
  SLACK: 'slack',
  EMAIL: 'email',
  PAGERDUTY: 'pagerduty',
  TEAMS: 'teams',
  DINGTALK: 'dingtalk',
  WECOM: 'wecom',
  ALERTMANAGER: 'alertmanager',
} as const;
registerEnumType(NotifierKindEnum, {
  name: 'NotifierKind',
  description:
    'Settings and secrets per kind — WEBHOOK: secret url, setting caPem. SLACK: secret url, settings channel, username. EMAIL: settings host, port, tls (starttls|tls|none), username, from, to, caPem; secret password. PAGERDUTY: secret routingKey. TEAMS: secret url. DINGTALK: secrets accessToken, signSecret; setting atMobiles. WECOM: secret key; setting mentionedMobiles. ALERTMANAGER: settings url, username, caPem; secret password.',
});
