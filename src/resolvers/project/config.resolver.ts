import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { PaddockError } from '../../errors/index.js';
import { KubeOrder } from '../cluster/fleet-list.type.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { kubeClient } from '../cluster/kube-access.js';
import { KubeFilter } from '../cluster/kube-filter.input.js';
import type { KubeListShape } from '../cluster/kube-object.type.js';
import { R } from '../cluster/kube-resources.js';
import { deadlineArg, type QueryDeadline } from '../cluster/query-deadline.js';
import type { GraphQLContext } from '../context.js';
import {
  type Certificate,
  CertificateList,
  type ConfigMap,
  ConfigMapList,
  DOCKER_CONFIG_JSON,
  decode,
  type PersistentVolumeClaim,
  PersistentVolumeClaimList,
  type RegistryCredential,
  RegistryCredentialList,
  Secret,
  SecretList,
  secretType,
  TLS_SECRET,
  toCertificate,
  toConfigMap,
  toPersistentVolumeClaim,
  toRegistryCredential,
  toSecret,
} from './config.type.js';
import { listOf } from './list-query.js';

const isType = (type: string) => (obj: KubeObject) => secretType(obj) === type;

@Resolver(() => Secret)
export class ConfigResolver {
  @Authorized()
  @Query(() => PersistentVolumeClaimList, {
    description: 'Persistent volume claims across clusters.',
  })
  persistentVolumeClaims(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<PersistentVolumeClaim>> {
    return listOf(
      ctx,
      R.persistentVolumeClaims,
      { filter, first, after, deadlineMs, orderBy },
      toPersistentVolumeClaim,
    );
  }

  @Authorized()
  @Query(() => ConfigMapList, { description: 'Config maps across clusters.' })
  configMaps(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('orderBy', () => KubeOrder, { nullable: true }) orderBy: KubeOrder | null | undefined,
  ): Promise<KubeListShape<ConfigMap>> {
    return listOf(ctx, R.configMaps, { filter, first, after, deadlineMs, orderBy }, toConfigMap);
  }

  @Authorized()
  @Query(() => SecretList, { description: 'Secrets across clusters: metadata and key names only.' })
  secrets(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
    @Arg('types', () => [String], { nullable: true, description: 'Only secrets of these types.' })
    types: string[] | null | undefined,
  ): Promise<KubeListShape<Secret>> {
    const wanted = types ? new Set(types) : undefined;
    return listOf(
      ctx,
      R.secrets,
      { filter, first, after, deadlineMs },
      toSecret,
      wanted ? (o) => wanted.has(secretType(o)) : undefined,
    );
  }

  @Authorized()
  @Query(() => RegistryCredentialList, {
    description: 'Image pull secrets (`kubernetes.io/dockerconfigjson`) across clusters.',
  })
  registryCredentials(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
  ): Promise<KubeListShape<RegistryCredential>> {
    return listOf(
      ctx,
      R.secrets,
      { filter, first, after, deadlineMs },
      toRegistryCredential,
      isType(DOCKER_CONFIG_JSON),
    );
  }

  @Authorized()
  @Query(() => CertificateList, {
    description: 'TLS secrets across clusters, certificates parsed.',
  })
  certificates(
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => KubeFilter, { nullable: true }) filter: KubeFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @deadlineArg() deadlineMs: QueryDeadline,
  ): Promise<KubeListShape<Certificate>> {
    return listOf(
      ctx,
      R.secrets,
      { filter, first, after, deadlineMs },
      toCertificate,
      isType(TLS_SECRET),
    );
  }

  @FieldResolver(() => JSONScalar, {
    description:
      'Decoded values by key, read again with `get` as the caller. Never for registry credentials, never `tls.key`.',
  })
  async values(
    @Root() secret: Secret,
    @Ctx() ctx: GraphQLContext,
    @Arg('keys', () => [String], { nullable: true }) keys: string[] | null | undefined,
  ): Promise<Record<string, string>> {
    if (secret.type === DOCKER_CONFIG_JSON) {
      throw new PaddockError('FORBIDDEN', 'registry credential values are never returned', {
        reason: 'secret_values_withheld',
      });
    }
    const obj = await kubeClient(ctx).get(
      secret.clusterId,
      R.secrets,
      secret.namespace ?? '',
      secret.name,
    );
    const data = (obj.data as Record<string, string> | undefined) ?? {};
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(data)) {
      if (secret.type === TLS_SECRET && key === 'tls.key') continue;
      if (keys && !keys.includes(key)) continue;
      out[key] = decode(value);
    }
    return out;
  }
}
