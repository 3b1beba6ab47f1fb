import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({
  description:
    'Narrows a cross-cluster list of Kubernetes objects; every given condition must hold.',
})
export class KubeFilter {
  @Field(() => [ID], { nullable: true })
  clusterIds?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Projects as `<clusterId>:<projectId>` (or a bare project id).',
  })
  projectIds?: string[] | null;

  @Field(() => [String], { nullable: true })
  namespaces?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A Kubernetes label selector.' })
  labelSelector?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name.' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'The start of the name (fleet index).' })
  namePrefix?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive text in the name, namespace or a label value (fleet index).',
  })
  search?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Phases to keep: pod, claim or namespace phase, node Ready/NotReady, job Complete/Failed/Running (fleet index).',
  })
  phases?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Phases to leave out, e.g. ["Running"] (fleet index).',
  })
  notPhases?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only ready (or only unready) objects.' })
  ready?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Pods restarted at least this often.' })
  minRestarts?: number | null;
}

/** Whether a filter asks for something only the fleet index can answer. */
export function needsIndex(filter: KubeFilter | null | undefined): boolean {
  if (!filter) return false;
  return (
    (filter.namePrefix ?? null) !== null ||
    (filter.search ?? null) !== null ||
    (filter.phases ?? null) !== null ||
    (filter.notPhases ?? null) !== null ||
    (filter.ready ?? null) !== null ||
    (filter.minRestarts ?? null) !== null
  );
}
