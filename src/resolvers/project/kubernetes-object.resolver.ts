/**
 * One object of any kind, read and replaced whole as JSON as the caller: what a console's YAML
 * view and editor need. The downstream API server validates and authorizes the write, exactly
 * as for `kubectl replace`.
 */
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { invalid, objectName } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';

const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;

/** Both end up in a discovery path, so they must be what Kubernetes allows and nothing else. */
function typeOf(field: string, apiVersion: string, kind: string): void {
  if (!API_VERSION.test(apiVersion)) {
    throw invalid(`${field}apiVersion`, `${JSON.stringify(apiVersion)} is not an apiVersion`);
  }
  if (!KIND.test(kind)) throw invalid(`${field}kind`, `${JSON.stringify(kind)} is not a kind`);
}

@Resolver()
export class KubernetesObjectResolver {
  @Authorized()
  @Query(() => JSONScalar, {
    description:
      'One object of any `apiVersion`/`kind` as JSON, read as the caller (for a YAML view).',
  })
  async kubernetesObject(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('apiVersion') apiVersion: string,
    @Arg('kind') kind: string,
    @Arg('name') name: string,
    @Arg('namespace', () => String, { nullable: true }) namespace: string | null | undefined,
  ): Promise<KubeObject> {
    typeOf('', apiVersion, kind);
    await visibleCluster(ctx, clusterId);
    const kube = kubeClient(ctx);
    const resource = await kube.resolveKind(clusterId, apiVersion, kind);
    const object = await kube.get(clusterId, resource, namespace ?? undefined, name);
    return { ...object, apiVersion, kind: resource.kind ?? kind };
  }

  @Authorized()
  @Mutation(() => JSONScalar, {
    description:
      'Replaces an object of any kind with the given JSON (a YAML editor), as the caller; a stale `metadata.resourceVersion` is a CONFLICT.',
  })
  async replaceKubernetesObject(
    @Ctx() ctx: GraphQLContext,
    @Arg('clusterId', () => ID) clusterId: string,
    @Arg('object', () => JSONScalar) object: unknown,
  ): Promise<KubeObject> {
    const body = wholeObject(object);
    typeOf('object.', body.apiVersion, body.kind);
    await visibleCluster(ctx, clusterId);
    const kube = kubeClient(ctx);
    const resource = await kube.resolveKind(clusterId, body.apiVersion, body.kind);
    if (resource.namespaced && body.metadata.namespace === undefined) {
      throw invalid('object.metadata.namespace', `a ${body.kind} lives in a namespace`);
    }
    const namespace = resource.namespaced ? body.metadata.namespace : undefined;
    const replaced = await kube.replace(clusterId, resource, namespace, body);
    return { ...replaced, apiVersion: body.apiVersion, kind: resource.kind ?? body.kind };
  }
}

type WholeObject = KubeObject & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

/** The object must name its kind and itself; the rest is the API server's to judge. */
function wholeObject(value: unknown): WholeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('object', 'must be a Kubernetes object');
  }
  const o = value as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || o.apiVersion === '') {
    throw invalid('object.apiVersion', 'is required');
  }
  if (typeof o.kind !== 'string' || o.kind === '') throw invalid('object.kind', 'is required');
  const metadata = o.metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw invalid('object.metadata', 'is required');
  }
  const m = metadata as Record<string, unknown>;
  if (typeof m.name !== 'string') throw invalid('object.metadata.name', 'is required');
  objectName('object.metadata.name', m.name);
  if (m.namespace !== undefined && typeof m.namespace !== 'string') {
    throw invalid('object.metadata.namespace', 'must be a string');
  }
  return value as WholeObject;
}
