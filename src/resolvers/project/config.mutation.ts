/**
 * Create, update and delete of services, ingresses, PVCs, config maps, secrets, registry
 * credentials and certificates, as the caller. An update reads the object, replaces what the
 * input owns and writes it back with its resourceVersion, so a concurrent change is a CONFLICT
 * rather than silently lost.
 */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { KubeObject, KubeResource } from '../../domain/kube-api.js';
import { kubeClient, visibleCluster } from '../cluster/kube-access.js';
import { R } from '../cluster/kube-resources.js';
import { invalid } from '../cluster/validate-input.js';
import type { GraphQLContext } from '../context.js';
import {
  CertificateInput,
  ConfigMapInput,
  IngressInput,
  ObjectRefInput,
  PersistentVolumeClaimInput,
  RegistryCredentialInput,
  SecretInput,
  ServiceInput,
} from './config.input.js';
import {
  Certificate,
  ConfigMap,
  DOCKER_CONFIG_JSON,
  PersistentVolumeClaim,
  RegistryCredential,
  Secret,
  secretType,
  TLS_SECRET,
  toCertificate,
  toConfigMap,
  toPersistentVolumeClaim,
  toRegistryCredential,
  toSecret,
} from './config.type.js';
import {
  certificateManifest,
  configMapManifest,
  ingressManifest,
  pvcManifest,
  registryCredentialManifest,
  secretManifest,
  serviceManifest,
} from './config-manifest.js';
import { Ingress, Service, toIngress, toService } from './network.type.js';

type Merge = (current: KubeObject, desired: KubeObject) => KubeObject;

async function create(
  ctx: GraphQLContext,
  ref: ObjectRefInput,
  resource: KubeResource,
  desired: KubeObject,
) {
  await visibleCluster(ctx, ref.clusterId);
  return kubeClient(ctx).create(ref.clusterId, resource, ref.namespace, desired);
}

async function update(
  ctx: GraphQLContext,
  ref: ObjectRefInput,
  resource: KubeResource,
  desired: KubeObject,
  merge: Merge,
  check?: (current: KubeObject) => void,
) {
  await visibleCluster(ctx, ref.clusterId);
  const kube = kubeClient(ctx);
  const current = await kube.get(ref.clusterId, resource, ref.namespace, ref.name);
  check?.(current);
  const next = merge(current, desired);
  next.metadata = {
    ...current.metadata,
    labels: { ...current.metadata.labels, ...desired.metadata.labels },
  };
  return kube.replace(ref.clusterId, resource, ref.namespace, next);
}

async function remove(
  ctx: GraphQLContext,
  ref: ObjectRefInput,
  resource: KubeResource,
  check?: (o: KubeObject) => void,
) {
  await visibleCluster(ctx, ref.clusterId);
  const kube = kubeClient(ctx);
  if (check) check(await kube.get(ref.clusterId, resource, ref.namespace, ref.name));
  await kube.delete(ref.clusterId, resource, ref.namespace, ref.name);
  return true;
}

const mergeSpec: Merge = (current, desired) => ({
  ...current,
  spec: { ...(current.spec as object), ...(desired.spec as object) },
});
const replaceSpec: Merge = (current, desired) => ({ ...current, spec: desired.spec });
const replaceData: Merge = (current, desired) => ({ ...current, data: desired.data ?? {} });
const resizeClaim: Merge = (current, desired) => {
  const spec = structuredClone(
    (current.spec ?? {}) as { resources?: { requests?: Record<string, string> } },
  );
  spec.resources = {
    ...spec.resources,
    requests: {
      ...spec.resources?.requests,
      storage: (desired.spec as { resources: { requests: { storage: string } } }).resources.requests
        .storage,
    },
  };
  return { ...current, spec };
};
const ofType = (type: string) => (obj: KubeObject) => {
  if (secretType(obj) !== type)
    throw invalid('name', `secret ${obj.metadata.name} is not of type ${type}`);
};

@Resolver()
export class ConfigMutationResolver {
  @Authorized()
  @Mutation(() => Service)
  async createService(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ServiceInput) input: ServiceInput,
  ) {
    return toService(input.clusterId, await create(ctx, input, R.services, serviceManifest(input)));
  }

  @Authorized()
  @Mutation(() => Service, {
    description: 'Replaces type, ports and selector; keeps the cluster IP.',
  })
  async updateService(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ServiceInput) input: ServiceInput,
  ) {
    return toService(
      input.clusterId,
      await update(ctx, input, R.services, serviceManifest(input), mergeSpec),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteService(@Ctx() ctx: GraphQLContext, @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput) {
    return remove(ctx, ref, R.services);
  }

  @Authorized()
  @Mutation(() => Ingress)
  async createIngress(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => IngressInput) input: IngressInput,
  ) {
    return toIngress(
      input.clusterId,
      await create(ctx, input, R.ingresses, ingressManifest(input)),
    );
  }

  @Authorized()
  @Mutation(() => Ingress, { description: 'Replaces the rules, TLS and class.' })
  async updateIngress(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => IngressInput) input: IngressInput,
  ) {
    return toIngress(
      input.clusterId,
      await update(ctx, input, R.ingresses, ingressManifest(input), replaceSpec),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteIngress(@Ctx() ctx: GraphQLContext, @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput) {
    return remove(ctx, ref, R.ingresses);
  }

  @Authorized()
  @Mutation(() => PersistentVolumeClaim)
  async createPersistentVolumeClaim(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => PersistentVolumeClaimInput) input: PersistentVolumeClaimInput,
  ) {
    return toPersistentVolumeClaim(
      input.clusterId,
      await create(ctx, input, R.persistentVolumeClaims, pvcManifest(input)),
    );
  }

  @Authorized()
  @Mutation(() => PersistentVolumeClaim, {
    description: 'Resizes the claim (the rest of its spec is immutable).',
  })
  async updatePersistentVolumeClaim(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => PersistentVolumeClaimInput) input: PersistentVolumeClaimInput,
  ) {
    return toPersistentVolumeClaim(
      input.clusterId,
      await update(ctx, input, R.persistentVolumeClaims, pvcManifest(input), resizeClaim),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deletePersistentVolumeClaim(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput,
  ) {
    return remove(ctx, ref, R.persistentVolumeClaims);
  }

  @Authorized()
  @Mutation(() => ConfigMap)
  async createConfigMap(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ConfigMapInput) input: ConfigMapInput,
  ) {
    return toConfigMap(
      input.clusterId,
      await create(ctx, input, R.configMaps, configMapManifest(input)),
    );
  }

  @Authorized()
  @Mutation(() => ConfigMap, { description: 'Replaces the data.' })
  async updateConfigMap(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => ConfigMapInput) input: ConfigMapInput,
  ) {
    return toConfigMap(
      input.clusterId,
      await update(ctx, input, R.configMaps, configMapManifest(input), replaceData),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteConfigMap(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput,
  ) {
    return remove(ctx, ref, R.configMaps);
  }

  @Authorized()
  @Mutation(() => Secret)
  async createSecret(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => SecretInput) input: SecretInput,
  ) {
    return toSecret(input.clusterId, await create(ctx, input, R.secrets, secretManifest(input)));
  }

  @Authorized()
  @Mutation(() => Secret, { description: 'Replaces the data.' })
  async updateSecret(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => SecretInput) input: SecretInput,
  ) {
    const desired = secretManifest(input);
    return toSecret(
      input.clusterId,
      await update(ctx, input, R.secrets, desired, replaceData, ofType(desired.type as string)),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteSecret(@Ctx() ctx: GraphQLContext, @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput) {
    return remove(ctx, ref, R.secrets);
  }

  @Authorized()
  @Mutation(() => RegistryCredential, {
    description: 'An image pull secret; passwords are never returned.',
  })
  async createRegistryCredential(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RegistryCredentialInput) input: RegistryCredentialInput,
  ) {
    return toRegistryCredential(
      input.clusterId,
      await create(ctx, input, R.secrets, registryCredentialManifest(input)),
    );
  }

  @Authorized()
  @Mutation(() => RegistryCredential, { description: 'Replaces the registries and their logins.' })
  async updateRegistryCredential(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => RegistryCredentialInput) input: RegistryCredentialInput,
  ) {
    return toRegistryCredential(
      input.clusterId,
      await update(
        ctx,
        input,
        R.secrets,
        registryCredentialManifest(input),
        replaceData,
        ofType(DOCKER_CONFIG_JSON),
      ),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteRegistryCredential(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput,
  ) {
    return remove(ctx, ref, R.secrets, ofType(DOCKER_CONFIG_JSON));
  }

  @Authorized()
  @Mutation(() => Certificate, {
    description: 'A TLS secret from a certificate and its matching key.',
  })
  async createCertificate(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CertificateInput) input: CertificateInput,
  ) {
    return toCertificate(
      input.clusterId,
      await create(ctx, input, R.secrets, certificateManifest(input)),
    );
  }

  @Authorized()
  @Mutation(() => Certificate, { description: 'Replaces the certificate and key (a renewal).' })
  async updateCertificate(
    @Ctx() ctx: GraphQLContext,
    @Arg('input', () => CertificateInput) input: CertificateInput,
  ) {
    return toCertificate(
      input.clusterId,
      await update(
        ctx,
        input,
        R.secrets,
        certificateManifest(input),
        replaceData,
        ofType(TLS_SECRET),
      ),
    );
  }

  @Authorized()
  @Mutation(() => Boolean)
  deleteCertificate(
    @Ctx() ctx: GraphQLContext,
    @Arg('ref', () => ObjectRefInput) ref: ObjectRefInput,
  ) {
    return remove(ctx, ref, R.secrets, ofType(TLS_SECRET));
  }
}
