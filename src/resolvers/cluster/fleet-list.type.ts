/**
 * What the fleet index adds to every cross-cluster list: a sort order, facet counts over the
 * caller's authorized matches, and per cluster where the answer came from and how old it is.
 */
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FleetFacets, FleetListAnswer } from '../../domain/fleet-index.js';

export const KubeOrderFieldEnum = {
  CLUSTER: 'CLUSTER',
  NAME: 'NAME',
  NAMESPACE: 'NAMESPACE',
  CREATED: 'CREATED',
  RESTARTS: 'RESTARTS',
} as const;
export type KubeOrderField = (typeof KubeOrderFieldEnum)[keyof typeof KubeOrderFieldEnum];
registerEnumType(KubeOrderFieldEnum, {
  name: 'KubeOrderField',
  description: 'What a cross-cluster list is sorted by; ties are broken by cluster, then key.',
});

export const SortDirectionEnum = { ASC: 'ASC', DESC: 'DESC' } as const;
export type SortDirection = (typeof SortDirectionEnum)[keyof typeof SortDirectionEnum];
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });

@InputType({
  description:
    'The order of a cross-cluster list (needs the fleet index for the kind; the default, CLUSTER ascending, works everywhere).',
})
export class KubeOrder {
  @Field(() => KubeOrderFieldEnum)
  field!: KubeOrderField;

  @Field(() => SortDirectionEnum, { nullable: true, defaultValue: 'ASC' })
  direction?: SortDirection | null;
}

@ObjectType({ description: 'How many matches share one value.' })
export class FacetCount {
  @Field()
  value!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({
  description:
    'Counts over every match of the filter the caller may see, across all pages; computed only when asked for.',
})
export class KubeFacets {
  readonly #answer: Pick<FleetListAnswer, 'facets' | 'totalCount'>;
  #facets: FleetFacets | undefined;

  constructor(answer: Pick<FleetListAnswer, 'facets' | 'totalCount'>) {
    this.#answer = answer;
  }

  #all(): FleetFacets {
    this.#facets ??= this.#answer.facets();
    return this.#facets;
  }

  @Field(() => Int, { description: 'Matches in all pages.' })
  get total(): number {
    return this.#answer.totalCount();
  }

  @Field(() => [FacetCount])
  get clusters(): readonly FacetCount[] {
    return this.#all().clusters;
  }

  @Field(() => [FacetCount])
  get namespaces(): readonly FacetCount[] {
    return this.#all().namespaces;
  }

  @Field(() => [FacetCount])
  get phases(): readonly FacetCount[] {
    return this.#all().phases;
  }
}

export const ListSourceEnum = { INDEX: 'INDEX', LIVE: 'LIVE' } as const;
export type ListSource = (typeof ListSourceEnum)[keyof typeof ListSourceEnum];
registerEnumType(ListSourceEnum, {
  name: 'ListSource',
  description: 'INDEX: answered from the fleet index; LIVE: read from the cluster as the caller.',
});

@ObjectType({ description: "Where one cluster's part of a list came from, and how current it is." })
export class ClusterSource {
  @Field(() => ID)
  clusterId!: string;

  @Field(() => ListSourceEnum)
  source!: ListSource;

  @Field({ description: "The index's copy may be behind: its watch broke and has not resumed." })
  stale!: boolean;

  @Field(() => Int, { description: 'Milliseconds since the index last knew its copy current.' })
  ageMs!: number;

  @Field(() => Date, { nullable: true, description: 'When the index last listed or resumed.' })
  syncedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why this cluster was read live.' })
  reason!: string | null;
}
