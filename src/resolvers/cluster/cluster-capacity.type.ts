import { Field, ObjectType } from 'type-graphql';
import { ResourcePercentages, ResourceTotals } from './common.type.js';

@ObjectType({
  description:
    'CPU, memory and pods of a cluster: what nodes have, what pods ask for, and the shares.',
})
export class ClusterCapacity {
  @Field(() => ResourceTotals)
  capacity!: ResourceTotals;

  @Field(() => ResourceTotals)
  allocatable!: ResourceTotals;

  @Field(() => ResourceTotals, { description: "Sum of the active pods' requests." })
  requested!: ResourceTotals;

  @Field(() => ResourceTotals, { description: "Sum of the active pods' limits." })
  limits!: ResourceTotals;

  @Field(() => ResourcePercentages, { description: 'requested / allocatable.' })
  requestedPercent!: ResourcePercentages;

  @Field(() => ResourcePercentages, { description: 'limits / allocatable.' })
  limitsPercent!: ResourcePercentages;

  @Field(() => Date, { nullable: true })
  readAt!: Date | null;
}
