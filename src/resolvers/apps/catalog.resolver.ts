/**
 * Catalogs and their charts. Who may call what:
 * - reads (`catalogs`, `catalog`, `charts`, `chartVersions`, `chart`): global catalogs any
 *   signed-in user, a cluster's or project's catalogs its members;
 * - `addCatalog`, `updateCatalog`, `refreshCatalog`, `removeCatalog`: `catalogs` rights at the
 *   catalog's scope: the catalogs-manage global role for global catalogs, cluster-owner for a
 *   cluster's, project-owner (or cluster-owner) for a project's.
 */
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CatalogScope } from '../../domain/catalogs.js';
import type { GraphQLContext } from '../context.js';
import { paginate } from '../cursor.js';
import { CatalogScopeEnum } from './apps-enums.js';
import { appsOf } from './apps-ports.js';
import { AddCatalogInput, ChartSearchInput, UpdateCatalogInput } from './catalog.input.js';
import {
  Catalog,
  ChartDetail,
  ChartList,
  ChartVersion,
  toCatalog,
  toChart,
  toChartDetail,
  toChartVersion,
} from './catalog.type.js';

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

@Resolver()
export class CatalogResolver {
  @Authorized()
  @Query(() => [Catalog], { description: 'Catalogs the caller may see, with their refresh state.' })
  async catalogs(
    @Ctx() ctx: GraphQLContext,
    @Arg('scope', () => CatalogScopeEnum, { nullable: true }) scope?: CatalogScope,
    @Arg('clusterId', () => ID, { nullable: true }) clusterId?: string,
    @Arg('projectId', () => ID, { nullable: true }) projectId?: string,
  ): Promise<Catalog[]> {
    const { apps, caller } = appsOf(ctx);
    return (await apps.catalogs.list(caller, defined({ scope, clusterId, projectId }))).map(
      toCatalog,
    );
  }

  @Authorized()
  @Query(() => Catalog)
  async catalog(@Ctx() ctx: GraphQLContext, @Arg('id', () => ID) id: string): Promise<Catalog> {
    const { apps, caller } = appsOf(ctx);
    return toCatalog(await apps.catalogs.get(caller, id));
  }

  @Authorized()
  @Query(() => ChartList, {
    description: 'Charts across the catalogs the caller may see, by name, keyword or category.',
  })
  async charts(
    @Ctx() ctx: GraphQLContext,
    @Arg('search', () => ChartSearchInput, { nullable: true }) search?: ChartSearchInput,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<ChartList> {
    const { apps, caller } = appsOf(ctx);
    const found = await apps.catalogs.searchCharts(caller, defined({ ...(search ?? {}) }));
    const page = paginate(found, (c) => [c.name, c.catalogName, c.catalogId], {
      first: first ?? null,
      after: after ?? null,
    });
    return {
      items: page.items.map(toChart),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Authorized()
  @Query(() => [ChartVersion], { description: 'Every version of a chart, newest first.' })
  async chartVersions(
    @Ctx() ctx: GraphQLContext,
    @Arg('catalogId', () => ID) catalogId: string,
    @Arg('chart') chart: string,
  ): Promise<ChartVersion[]> {
    const { apps, caller } = appsOf(ctx);
    return (await apps.catalogs.chartVersions(caller, catalogId, chart)).map(toChartVersion);
  }

  @Authorized()
  @Query(() => ChartDetail, {
    description: "A chart version's README, values and schema (the newest stable without version).",
  })
  async chart(
    @Ctx() ctx: GraphQLContext,
    @Arg('catalogId', () => ID) catalogId: string,
    @Arg('name') name: string,
    @Arg('version', () => String, { nullable: true }) version?: string,
  ): Promise<ChartDetail> {
    const { apps, caller } = appsOf(ctx);
    return toChartDetail(
      await apps.catalogs.chartDetails(caller, catalogId, name, version ?? undefined),
    );
  }

  @Authorized()
  @Mutation(() => Catalog, {
    description:
      'Adds a catalog and refreshes it once (a bad repository is an error state on it). Needs catalogs rights at its scope.',
  })
  async addCatalog(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => AddCatalogInput) input: AddCatalogInput,
  ): Promise<Catalog> {
    const { apps, caller } = appsOf(ctx);
    return toCatalog(await apps.catalogs.add(caller, defined({ ...input })));
  }

  @Authorized()
  @Mutation(() => Catalog, {
    description: 'Changes a catalog and refreshes it. Needs catalogs rights at its scope.',
  })
  async updateCatalog(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCatalogInput) input: UpdateCatalogInput,
  ): Promise<Catalog> {
    const { apps, caller } = appsOf(ctx);
    return toCatalog(await apps.catalogs.update(caller, id, defined({ ...input })));
  }

  @Authorized()
  @Mutation(() => Catalog, {
    description: 'Refreshes a catalog now. Needs catalogs rights at its scope.',
  })
  async refreshCatalog(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<Catalog> {
    const { apps, caller } = appsOf(ctx);
    return toCatalog(await apps.catalogs.refresh(caller, id));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: 'Removes a catalog. Needs catalogs rights at its scope.',
  })
  async removeCatalog(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const { apps, caller } = appsOf(ctx);
    return apps.catalogs.remove(caller, id);
  }
}
