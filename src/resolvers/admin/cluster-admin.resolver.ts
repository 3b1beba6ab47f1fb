/**
 * Registering downstream clusters: direct or kubeconfig import, the two halves of a manifest
 * import, rename and removal. Credentials go in and never come back: answers are `Cluster`s.
 */
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ClusterEndpointSpec } from '../../domain/cluster-admin.js';
import { invalid } from '../cluster/validate-input.js';
import { Cluster, toCluster } from '../cluster.type.js';
import type { GraphQLContext } from '../context.js';
import { adminPort } from './admin-ports.js';
import {
  CompleteClusterImportInput,
  CreateClusterImportInput,
  ImportClusterInput,
  UpdateClusterInput,
} from './cluster-admin.input.js';
import { ClusterImport } from './cluster-admin.type.js';
import { publicBaseUrl } from './public-base-url.js';

@Resolver()
export class ClusterAdminResolver {
  @Authorized('create:clusters')
  @Mutation(() => Cluster, {
    description:
      'Imports a cluster from its endpoint, CA and both tokens, or from a kubeconfig context.',
  })
  async importCluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ImportClusterInput) input: ImportClusterInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const names = {
      ...(input.id == null ? {} : { id: input.id }),
      ...(input.description == null ? {} : { description: input.description }),
    };
    const hasKubeconfig = input.kubeconfig != null && input.kubeconfig !== '';
    if (hasKubeconfig === (input.endpoint != null)) {
      throw invalid('input', 'give either endpoint with both tokens or kubeconfig, not both');
    }
    let summary: Awaited<ReturnType<typeof admin.importDirect>>;
    if (input.kubeconfig != null && hasKubeconfig) {
      summary = await admin.importFromKubeconfig({
        ...names,
        ...(input.name == null ? {} : { name: input.name }),
        kubeconfig: input.kubeconfig,
        ...(input.context == null ? {} : { context: input.context }),
        ...(input.kubeconfigCredentials == null
          ? {}
          : { credentials: input.kubeconfigCredentials }),
      });
    } else {
      if (input.name == null) throw invalid('name', 'is required for a direct import');
      if (input.impersonatorToken == null) throw invalid('impersonatorToken', 'is required');
      if (input.managerToken == null) throw invalid('managerToken', 'is required');
      summary = await admin.importDirect({
        ...names,
        name: input.name,
        ...endpointOf({ ...input, endpoint: input.endpoint ?? '' }),
        impersonatorToken: input.impersonatorToken,
        managerToken: input.managerToken,
      });
    }
    ctx.logger.info(
      { clusterId: summary.id, importMethod: summary.importMethod, by: ctx.identity?.userId },
      'cluster imported',
    );
    return toCluster(summary);
  }

  @Authorized('create:clusters')
  @Mutation(() => ClusterImport, {
    description:
      'Registers a pending cluster and returns the manifest to apply to it; then call completeClusterImport.',
  })
  async createClusterImport(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CreateClusterImportInput) input: CreateClusterImportInput,
  ): Promise<ClusterImport> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.createPendingImport({
      name: input.name,
      ...(input.id == null ? {} : { id: input.id }),
      ...(input.description == null ? {} : { description: input.description }),
    });
    const manifest = await admin.importManifest(summary.id);
    const base = await publicBaseUrl(ctx);
    ctx.logger.info({ clusterId: summary.id, by: ctx.identity?.userId }, 'cluster import created');
    return {
      cluster: toCluster(summary),
      manifestUrl: `${base}/v1/import/${encodeURIComponent(summary.id)}.yaml`,
      manifest,
    };
  }

  @Authorized('create:clusters')
  @Mutation(() => Cluster, {
    description:
      'Finishes a manifest import: reads the account tokens with a one-time bootstrap token.',
  })
  async completeClusterImport(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => CompleteClusterImportInput) input: CompleteClusterImportInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.completeManifestImport(clusterId, {
      ...endpointOf(input),
      bootstrapToken: input.bootstrapToken,
    });
    ctx.logger.info({ clusterId, by: ctx.identity?.userId }, 'cluster import completed');
    return toCluster(summary);
  }

  @Authorized('update:clusters')
  @Mutation(() => Cluster, { description: "Changes a cluster's name or description." })
  async updateCluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClusterInput) input: UpdateClusterInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.update(id, {
      ...(input.name == null ? {} : { name: input.name }),
      ...(input.description == null ? {} : { description: input.description }),
    });
    return toCluster(summary);
  }

  @Authorized('delete:clusters')
  @Mutation(() => Boolean, {
    description: 'Forgets a cluster and its credentials; false when there was no such cluster.',
  })
  async removeCluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    const removed = await adminPort(ctx, 'clusterAdmin').remove(id);
    if (removed) ctx.logger.info({ clusterId: id, by: ctx.identity?.userId }, 'cluster removed');
    return removed;
  }
}

function endpointOf(input: {
  endpoint: string;
  caPem?: string | null;
  tlsServerName?: string | null;
  dangerouslySkipTlsVerify?: boolean | null;
}): ClusterEndpointSpec {
  return {
    endpoint: input.endpoint,
    ...(input.caPem == null ? {} : { caPem: input.caPem }),
    ...(input.tlsServerName == null ? {} : { tlsServerName: input.tlsServerName }),
    ...(input.dangerouslySkipTlsVerify == null
      ? {}
      : { dangerouslySkipTlsVerify: input.dangerouslySkipTlsVerify }),
  };
}
