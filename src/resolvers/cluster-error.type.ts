import { Field, ID, ObjectType } from 'type-graphql';
import { ClusterErrorCodeEnum } from './enums.js';

export type ClusterErrorCode = (typeof ClusterErrorCodeEnum)[keyof typeof ClusterErrorCodeEnum];

@ObjectType({
  description:
    'One cluster that could not contribute to a cross-cluster answer; the rest of the data is still returned.',
})
export class ClusterError {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => ClusterErrorCodeEnum)
  code!: ClusterErrorCode;

  @Field()
  message!: string;

  @Field({ description: 'Whether asking again later may succeed.' })
  retryable!: boolean;
}
