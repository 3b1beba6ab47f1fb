import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { Condition, conditionsOf } from '../cluster/common.type.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { baseOf, KubeObjectBase, kubeListType } from '../cluster/kube-object.type.js';

export const WorkloadKindEnum = {
  DEPLOYMENT: 'Deployment',
  STATEFUL_SET: 'StatefulSet',
  DAEMON_SET: 'DaemonSet',
  JOB: 'Job',
  CRON_JOB: 'CronJob',
} as const;
export type WorkloadKind = (typeof WorkloadKindEnum)[keyof typeof WorkloadKindEnum];
registerEnumType(WorkloadKindEnum, { name: 'WorkloadKind' });

@ObjectType({
  implements: KubeObjectBase,
  description: 'A deployment, stateful set, daemon set, job or cron job.',
})
export class Workload extends KubeObjectBase {
  @Field(() => WorkloadKindEnum)
  kind!: WorkloadKind;

  @Field(() => [String], { description: 'Images of its containers, in order.' })
  images!: string[];

  @Field(() => Int, {
    nullable: true,
    description: 'Desired pods (daemon sets: scheduled nodes; jobs: parallelism).',
  })
  replicas!: number | null;

  @Field(() => Int)
  readyReplicas!: number;

  @Field(() => Int, { nullable: true })
  availableReplicas!: number | null;

  @Field(() => Int, { nullable: true })
  updatedReplicas!: number | null;

  @Field({ description: 'Every desired pod is ready (jobs: completed; cron jobs: not suspended).' })
  ready!: boolean;

  @Field()
  paused!: boolean;

  @Field(() => [Condition])
  conditions!: Condition[];

  @Field(() => JSONScalar, { description: 'The label selector of its pods.' })
  selector!: unknown;

  @Field(() => String, { nullable: true, description: 'Cron jobs: the schedule.' })
  schedule!: string | null;

  @Field(() => Date, { nullable: true, description: 'Cron jobs: the last run.' })
  lastScheduleTime!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Jobs: pods that succeeded.' })
  succeeded!: number | null;

  @Field(() => Int, { nullable: true, description: 'Jobs: pods that failed.' })
  failed!: number | null;

  @Field(() => Int, { nullable: true, description: 'Jobs and cron jobs: running pods/jobs.' })
  active!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Deployments: `deployment.kubernetes.io/revision`.',
  })
  revision!: number | null;
}

export const WorkloadList = kubeListType(Workload, 'WorkloadList');

interface PodTemplate {
  spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] };
}

function imagesOf(template: PodTemplate | undefined): string[] {
  return (template?.spec?.containers ?? []).map((c) => c.image ?? '');
}

type Status = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function toWorkload(clusterId: string, kind: WorkloadKind, obj: KubeObject): Workload {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const status = (obj.status ?? {}) as Status;
  const template =
    kind === 'CronJob'
      ? (spec.jobTemplate as { spec?: { template?: PodTemplate } } | undefined)?.spec?.template
      : (spec.template as PodTemplate | undefined);
  const w: Workload = Object.assign(new Workload(), {
    ...baseOf(clusterId, obj),
    kind,
    images: imagesOf(template),
    replicas: null,
    readyReplicas: 0,
    availableReplicas: null,
    updatedReplicas: null,
    ready: false,
    paused: false,
    conditions: conditionsOf(status.conditions),
    selector: spec.selector ?? null,
    schedule: null,
    lastScheduleTime: null,
    succeeded: null,
    failed: null,
    active: null,
    revision: null,
  });
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet': {
      w.replicas = num(spec.replicas) ?? 1;
      w.readyReplicas = num(status.readyReplicas) ?? 0;
      w.availableReplicas = num(status.availableReplicas) ?? 0;
      w.updatedReplicas = num(status.updatedReplicas) ?? 0;
      w.ready = w.readyReplicas >= w.replicas;
      w.paused = spec.paused === true;
      const rev = obj.metadata.annotations?.['deployment.kubernetes.io/revision'];
      w.revision = rev === undefined ? null : Number(rev);
      break;
    }
    case 'DaemonSet':
      w.replicas = num(status.desiredNumberScheduled) ?? 0;
      w.readyReplicas = num(status.numberReady) ?? 0;
      w.availableReplicas = num(status.numberAvailable) ?? 0;
      w.updatedReplicas = num(status.updatedNumberScheduled) ?? 0;
      w.ready = w.readyReplicas >= w.replicas;
      break;
    case 'Job':
      w.replicas = num(spec.parallelism) ?? 1;
      w.readyReplicas = num(status.ready) ?? 0;
      w.succeeded = num(status.succeeded) ?? 0;
      w.failed = num(status.failed) ?? 0;
      w.active = num(status.active) ?? 0;
      w.ready = w.conditions.some((c) => c.type === 'Complete' && c.status === 'True');
      w.paused = spec.suspend === true;
      break;
    case 'CronJob':
      w.schedule = typeof spec.schedule === 'string' ? spec.schedule : null;
      w.lastScheduleTime =
        typeof status.lastScheduleTime === 'string' ? new Date(status.lastScheduleTime) : null;
      w.active = Array.isArray(status.active) ? status.active.length : 0;
      w.paused = spec.suspend === true;
      w.ready = !w.paused;
      break;
  }
  return w;
}
