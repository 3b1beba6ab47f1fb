/**
 * Registering downstream clusters: direct or kubeconfig import, the two halves of a manifest
 * import, a connection change, rename and removal. Credentials go in and never come back:
 * answers are `Cluster`s. Who may do what to which cluster is the `ClusterAdmin` port's to
 * decide (ADR 0011); the decorators only turn away callers without any chance.
 */
import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ClusterSummary } from '../../domain/cluster.js';
import type {
  ClusterAdmin,
  ClusterAdminCaller,
  ClusterConnectionChange,
  ClusterEndpointSpec,
} from '../../domain/cluster-admin.js';
import { requireIdentity } from '../auth-checker.js';
import { invalid } from '../cluster/validate-input.js';
import { Cluster, toCluster } from '../cluster.type.js';
import type { GraphQLContext } from '../context.js';
import { adminPort } from './admin-ports.js';
import {
  CompleteClusterImportInput,
  CreateClusterImportInput,
  ImportClusterInput,
  UpdateClusterConnectionInput,
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
      summary = await admin.importFromKubeconfig(callerOf(ctx), {
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
      summary = await admin.importDirect(callerOf(ctx), {
        ...names,
        name: input.name,
        ...endpointOf({ ...input, endpoint: input.endpoint ?? '' }),
        impersonatorToken: input.impersonatorToken,
        managerToken: input.managerToken,
      });
    }
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
    const caller = callerOf(ctx);
    const base = await publicBaseUrl(ctx);
    const agent = input.transport === 'agent';
    // Checked before anything is registered: the agent must be told where Paddock is.
    if (agent && base === '') {
      throw invalid('transport', 'AGENT needs the server-url setting: the address agents dial');
    }
    const summary = await admin.createPendingImport(caller, {
      name: input.name,
      ...(input.id == null ? {} : { id: input.id }),
      ...(input.description == null ? {} : { description: input.description }),
      ...(agent ? { transport: 'agent' as const } : {}),
    });
    return importOf(admin, caller, summary, base);
  }

  @Authorized()
  @Mutation(() => ClusterImport, {
    description:
      'Gives an agent cluster a new registration secret (needs update on that cluster; audited): agents presenting the old one are disconnected and refused. Apply the returned manifest (its paddock-agent Secret) to the cluster.',
  })
  async rotateClusterAgentSecret(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<ClusterImport> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const caller = callerOf(ctx);
    const summary = await admin.rotateAgentSecret(caller, id);
    return importOf(admin, caller, summary, await publicBaseUrl(ctx));
  }

  @Authorized()
  @Mutation(() => Cluster, {
    description:
      'Finishes a pending manifest import (its creator, or whoever may update the cluster): reads the account tokens with a one-time bootstrap token.',
  })
  async completeClusterImport(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('input', () => CompleteClusterImportInput) input: CompleteClusterImportInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.completeManifestImport(callerOf(ctx), clusterId, {
      ...endpointOf(input),
      bootstrapToken: input.bootstrapToken,
    });
    return toCluster(summary);
  }

  @Authorized()
  @Mutation(() => Cluster, {
    description:
      "Changes an imported cluster's endpoint, CA and credentials (needs update on that cluster; audited).",
  })
  async updateClusterConnection(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClusterConnectionInput) input: UpdateClusterConnectionInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.updateConnection(callerOf(ctx), id, connectionOf(input));
    return toCluster(summary);
  }

  @Authorized()
  @Mutation(() => Cluster, {
    description: "Changes a cluster's name or description (needs update on that cluster).",
  })
  async updateCluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateClusterInput) input: UpdateClusterInput,
  ): Promise<Cluster> {
    const admin = adminPort(ctx, 'clusterAdmin');
    const summary = await admin.update(callerOf(ctx), id, {
      ...(input.name == null ? {} : { name: input.name }),
      ...(input.description == null ? {} : { description: input.description }),
    });
    return toCluster(summary);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Forgets a cluster, its credentials, members and projects (needs delete on that cluster); false when there was no such cluster.',
  })
  async removeCluster(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID) id: string,
  ): Promise<boolean> {
    return adminPort(ctx, 'clusterAdmin').remove(callerOf(ctx), id);
  }
}

async function importOf(
  admin: ClusterAdmin,
  caller: ClusterAdminCaller,
  summary: ClusterSummary,
  base: string,
): Promise<ClusterImport> {
  const manifest = await admin.importManifest(
    caller,
    summary.id,
    base === '' ? {} : { baseUrl: base },
  );
  return {
    cluster: toCluster(summary),
    manifestUrl: `${base}/v1/import/${encodeURIComponent(summary.id)}.yaml`,
    manifest,
  };
}

function callerOf(ctx: GraphQLContext): ClusterAdminCaller {
  return { identity: requireIdentity(ctx), requestId: ctx.requestId };
}

/** Both account tokens, or a bootstrap token to read them with; not both, not neither. */
function connectionOf(input: UpdateClusterConnectionInput): ClusterConnectionChange {
  const endpoint = endpointOf(input);
  const hasTokens = input.impersonatorToken != null || input.managerToken != null;
  if (input.bootstrapToken != null) {
    if (hasTokens) throw invalid('input', 'give either bootstrapToken or both tokens, not both');
    return { ...endpoint, bootstrapToken: input.bootstrapToken };
  }
  if (input.impersonatorToken == null) throw invalid('impersonatorToken', 'is required');
  if (input.managerToken == null) throw invalid('managerToken', 'is required');
  return {
    ...endpoint,
    impersonatorToken: input.impersonatorToken,
    managerToken: input.managerToken,
  };
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
