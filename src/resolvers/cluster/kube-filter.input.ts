import { Field, ID, InputType } from 'type-graphql';

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
}
