import { Field, ID, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import type { Project as ProjectRecord } from '../../domain/rbac.js';
import { namespaceProject } from '../../rbac/project-label.js';
import { ClusterError } from '../cluster-error.type.js';
import { PageInfo } from '../page-info.type.js';
import { ClusterSource, KubeFacets } from './fleet-list.type.js';
import { baseOf, KubeObjectBase } from './kube-object.type.js';

@ObjectType({ implements: KubeObjectBase })
export class Namespace extends KubeObjectBase {
  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The project it belongs to, `<clusterId>:<projectId>`, from `paddock.io/project-id`.',
  })
  projectId!: string | null;
}

@ObjectType({ description: 'A binding of a role template on a project.' })
export class ProjectMember {
  @Field(() => ID)
  bindingId!: string;

  @Field({ description: '`user` or `group`.' })
  subjectKind!: string;

  @Field(() => ID, { nullable: true })
  userId!: string | null;

  @Field(() => ID, { nullable: true })
  principalId!: string | null;

  @Field(() => ID)
  roleTemplateId!: string;
}

@ObjectType({ description: 'A set of namespaces in one cluster.' })
export class Project {
  @Field(() => ID, { description: '`<clusterId>:<projectId>`.' })
  id!: string;

  @Field(() => ID)
  clusterId!: string;

  @Field(() => ID)
  projectId!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => [String], { description: 'Its namespaces the caller can see.' })
  namespaces!: string[];

  @Field(() => [ProjectMember], {
    description: 'Its role bindings (empty when Paddock has no access state).',
  })
  members!: ProjectMember[];
}

@ObjectType()
export class NamespaceList {
  @Field(() => [Namespace])
  items!: Namespace[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [ClusterError])
  clusterErrors!: ClusterError[];

  @Field(() => KubeFacets, {
    nullable: true,
    description: 'Counts over all matches the caller may see; null when the list was read live.',
  })
  facets?: KubeFacets | null;

  @Field(() => [ClusterSource], {
    nullable: true,
    description:
      "Per cluster: whether the fleet index or a live read answered, and the index's age.",
  })
  sources?: ClusterSource[] | null;
}

@ObjectType()
export class ProjectList {
  @Field(() => [Project])
  items!: Project[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [ClusterError])
  clusterErrors!: ClusterError[];
}

export function toNamespace(clusterId: string, obj: KubeObject): Namespace {
  const ref = namespaceProject({
    labels: obj.metadata.labels ?? {},
    annotations: obj.metadata.annotations ?? {},
  });
  return Object.assign(new Namespace(), {
    ...baseOf(clusterId, obj),
    phase: (obj.status as { phase?: string } | undefined)?.phase ?? null,
    projectId: ref ? `${ref.clusterId}:${ref.projectId}` : null,
  });
}

export function toProject(
  clusterId: string,
  projectId: string,
  record: ProjectRecord | undefined,
  namespaces: string[],
  members: ProjectMember[],
): Project {
  return {
    id: `${clusterId}:${projectId}`,
    clusterId,
    projectId,
    name: record?.name ?? projectId,
    description: record?.description ?? '',
    namespaces: namespaces.sort(),
    members,
  };
}
