import { Field, ObjectType } from 'type-graphql';
import { Cluster } from '../cluster.type.js';

@ObjectType({ description: 'A pending cluster and the manifest the operator applies to it.' })
export class ClusterImport {
  @Field(() => Cluster)
  cluster!: Cluster;

  @Field({ description: 'Where the manifest can be fetched: `/v1/import/<id>.yaml`.' })
  manifestUrl!: string;

  @Field({ description: 'The manifest itself (multi-document YAML).' })
  manifest!: string;
}
