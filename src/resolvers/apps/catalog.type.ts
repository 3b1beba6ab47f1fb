import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  CatalogKind,
  CatalogRefreshState,
  CatalogScope,
  CatalogView,
  ChartDetails,
  ChartSummary,
  ChartVersionSummary,
} from '../../domain/catalogs.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { PageInfo } from '../page-info.type.js';
import { CatalogKindEnum, CatalogRefreshStateEnum, CatalogScopeEnum } from './apps-enums.js';
import { dateOf } from './apps-ports.js';

@ObjectType({ description: "The outcome of a catalog's last refresh." })
export class CatalogRefresh {
  @Field(() => CatalogRefreshStateEnum)
  state!: CatalogRefreshState;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastSuccessAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  message!: string | null;

  @Field(() => Int, { description: 'Charts known from the last good refresh.' })
  chartCount!: number;
}

@ObjectType({
  description: 'A Helm chart repository or OCI registry. Its password is never shown.',
})
export class Catalog {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => CatalogScopeEnum)
  scope!: CatalogScope;

  @Field(() => ID, { nullable: true })
  clusterId!: string | null;

  @Field(() => ID, { nullable: true })
  projectId!: string | null;

  @Field(() => CatalogKindEnum)
  kind!: CatalogKind;

  @Field()
  url!: string;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field()
  hasPassword!: boolean;

  @Field(() => String, { nullable: true, description: "PEM of the repository's CA." })
  caPem!: string | null;

  @Field(() => ID)
  createdBy!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => CatalogRefresh)
  refresh!: CatalogRefresh;
}

export function toCatalog(v: CatalogView): Catalog {
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    scope: v.scope,
    clusterId: v.clusterId ?? null,
    projectId: v.projectId ?? null,
    kind: v.kind,
    url: v.url,
    username: v.username ?? null,
    hasPassword: v.hasPassword,
    caPem: v.caPem ?? null,
    createdBy: v.createdBy,
    createdAt: new Date(v.createdAt),
    updatedAt: new Date(v.updatedAt),
    refresh: {
      state: v.refresh.state,
      lastAttemptAt: dateOf(v.refresh.lastAttemptAt),
      lastSuccessAt: dateOf(v.refresh.lastSuccessAt),
      message: v.refresh.message ?? null,
      chartCount: v.refresh.chartCount,
    },
  };
}

@ObjectType({ description: 'A chart of a catalog at its newest stable version.' })
export class Chart {
  @Field(() => ID)
  catalogId!: string;

  @Field()
  catalogName!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field()
  latestVersion!: string;

  @Field(() => String, { nullable: true })
  appVersion!: string | null;

  @Field(() => [String])
  keywords!: string[];

  @Field(() => String, { nullable: true, description: 'The `category` annotation of Chart.yaml.' })
  category!: string | null;

  @Field(() => String, { nullable: true })
  iconUrl!: string | null;

  @Field(() => String, { nullable: true })
  home!: string | null;

  @Field()
  deprecated!: boolean;
}

export function toChart(c: ChartSummary): Chart {
  return {
    catalogId: c.catalogId,
    catalogName: c.catalogName,
    name: c.name,
    description: c.description,
    latestVersion: c.latestVersion,
    appVersion: c.appVersion ?? null,
    keywords: [...c.keywords],
    category: c.category ?? null,
    iconUrl: c.iconUrl ?? null,
    home: c.home ?? null,
    deprecated: c.deprecated,
  };
}

@ObjectType({ description: 'One page of charts.' })
export class ChartList {
  @Field(() => [Chart])
  items!: Chart[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType()
export class ChartVersion {
  @Field()
  version!: string;

  @Field(() => String, { nullable: true })
  appVersion!: string | null;

  @Field()
  description!: string;

  @Field(() => Date, { nullable: true })
  createdAt!: Date | null;

  @Field(() => String, { nullable: true })
  digest!: string | null;
}

export function toChartVersion(v: ChartVersionSummary): ChartVersion {
  return {
    version: v.version,
    appVersion: v.appVersion ?? null,
    description: v.description,
    createdAt: dateOf(v.createdAt),
    digest: v.digest ?? null,
  };
}

@ObjectType({ description: 'What a chart version holds: README, default values and their schema.' })
export class ChartDetail {
  @Field(() => ID)
  catalogId!: string;

  @Field()
  name!: string;

  @Field()
  version!: string;

  @Field(() => String, { nullable: true })
  appVersion!: string | null;

  @Field()
  description!: string;

  @Field(() => String, { nullable: true })
  iconUrl!: string | null;

  @Field(() => [String])
  keywords!: string[];

  @Field(() => String, { nullable: true })
  readme!: string | null;

  @Field({ description: "The chart's values.yaml as written." })
  valuesYaml!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'The parsed values.schema.json.' })
  valuesSchema!: unknown;

  @Field(() => [String], {
    description:
      'Registry keys the chart declares (`global.systemDefaultRegistry`, `global.imageRegistry`); the default-image-registry setting fills them.',
  })
  registryValueKeys!: string[];
}

export function toChartDetail(d: ChartDetails): ChartDetail {
  return {
    catalogId: d.catalogId,
    name: d.name,
    version: d.version,
    appVersion: d.appVersion ?? null,
    description: d.description,
    iconUrl: d.iconUrl ?? null,
    keywords: [...d.keywords],
    readme: d.readme ?? null,
    valuesYaml: d.valuesYaml,
    valuesSchema: d.valuesSchema ?? null,
    registryValueKeys: [...d.registryValueKeys],
  };
}
