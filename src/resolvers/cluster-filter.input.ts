import { Field, ID, InputType } from 'type-graphql';
import type { ClusterState } from '../domain/cluster.js';
import { ClusterStateEnum } from './enums.js';

@InputType({ description: 'Narrows a cluster list; every given condition must hold.' })
export class ClusterFilter {
  @Field(() => [ID], { nullable: true })
  clusterIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name.' })
  nameContains?: string | null;

  @Field(() => [ClusterStateEnum], { nullable: true })
  states?: ClusterState[] | null;
}
