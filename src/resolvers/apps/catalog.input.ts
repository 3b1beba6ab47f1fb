import { Field, ID, InputType } from 'type-graphql';
import type { CatalogScope } from '../../domain/catalogs.js';
import { CatalogScopeEnum } from './apps-enums.js';

@InputType()
export class AddCatalogInput {
  @Field({ description: 'A DNS label, unique within the scope.' })
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => CatalogScopeEnum)
  scope!: CatalogScope;

  @Field(() => ID, { nullable: true, description: 'Required for CLUSTER and PROJECT scope.' })
  clusterId?: string;

  @Field(() => ID, { nullable: true, description: 'Required for PROJECT scope.' })
  projectId?: string;

  @Field({ description: 'https://… (index.yaml repository) or oci://registry/path.' })
  url!: string;

  @Field(() => String, { nullable: true })
  username?: string;

  @Field(() => String, { nullable: true, description: 'Sealed at rest, never shown again.' })
  password?: string;

  @Field(() => String, { nullable: true, description: "PEM of the repository's CA." })
  caPem?: string;
}

@InputType({ description: 'Absent fields stay; null clears username, password or caPem.' })
export class UpdateCatalogInput {
  @Field(() => String, { nullable: true })
  description?: string;

  @Field(() => String, { nullable: true })
  url?: string;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true })
  password?: string | null;

  @Field(() => String, { nullable: true })
  caPem?: string | null;
}

@InputType()
export class ChartSearchInput {
  @Field(() => String, { nullable: true, description: 'Matches name and description.' })
  text?: string;

  @Field(() => String, { nullable: true })
  keyword?: string;

  @Field(() => String, { nullable: true, description: 'The `category` annotation.' })
  category?: string;

  @Field(() => [ID], { nullable: true })
  catalogIds?: string[];

  @Field(() => ID, { nullable: true, description: 'Only catalogs usable in this cluster.' })
  clusterId?: string;

  @Field(() => ID, { nullable: true, description: 'Only catalogs usable in this project.' })
  projectId?: string;
}
