import { Field, Int, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { JSONScalar } from '../cluster/json.scalar.js';
import { baseOf, KubeObjectBase, kubeListType } from '../cluster/kube-object.type.js';
import { parseCertificate } from './certificate.js';

@ObjectType({ implements: KubeObjectBase })
export class PersistentVolumeClaim extends KubeObjectBase {
  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => String, { nullable: true })
  storageClassName!: string | null;

  @Field(() => [String])
  accessModes!: string[];

  @Field(() => String, { nullable: true, description: 'Requested size, e.g. `10Gi`.' })
  requested!: string | null;

  @Field(() => String, { nullable: true, description: 'Size of the bound volume.' })
  capacity!: string | null;

  @Field(() => String, { nullable: true })
  volumeName!: string | null;

  @Field(() => String, { nullable: true })
  volumeMode!: string | null;
}

@ObjectType({ implements: KubeObjectBase })
export class ConfigMap extends KubeObjectBase {
  @Field(() => [String], { description: 'Keys of `data` and `binaryData`, sorted.' })
  keys!: string[];

  @Field(() => JSONScalar, { description: 'The text values by key.' })
  data!: Record<string, string>;
}

@ObjectType({
  implements: KubeObjectBase,
  description: 'A secret without its values; ask for `values` to read them.',
})
export class Secret extends KubeObjectBase {
  @Field()
  type!: string;

  @Field(() => [String], { description: 'Keys of `data`, sorted.' })
  keys!: string[];
}

@ObjectType({
  description: 'One registry of a registry credential; the password is never returned.',
})
export class RegistryLogin {
  @Field()
  server!: string;

  @Field(() => String, { nullable: true })
  username!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}

@ObjectType({
  implements: KubeObjectBase,
  description: 'A `kubernetes.io/dockerconfigjson` secret: registries and user names only.',
})
export class RegistryCredential extends KubeObjectBase {
  @Field(() => [RegistryLogin])
  registries!: RegistryLogin[];
}

@ObjectType({
  implements: KubeObjectBase,
  description: 'A `kubernetes.io/tls` secret, its certificate parsed (never its key).',
})
export class Certificate extends KubeObjectBase {
  @Field({ description: '`tls.crt` holds a readable certificate.' })
  valid!: boolean;

  @Field(() => String, { nullable: true })
  subject!: string | null;

  @Field(() => String, { nullable: true })
  issuer!: string | null;

  @Field(() => [String], { description: 'Subject alternative names, e.g. `DNS:shop.example`.' })
  subjectAltNames!: string[];

  @Field(() => String, { nullable: true })
  serialNumber!: string | null;

  @Field(() => String, { nullable: true })
  fingerprintSha256!: string | null;

  @Field(() => Date, { nullable: true })
  notBefore!: Date | null;

  @Field(() => Date, { nullable: true })
  notAfter!: Date | null;

  @Field(() => Boolean, { nullable: true })
  isCA!: boolean | null;

  @Field(() => Int)
  chainLength!: number;
}

export const PersistentVolumeClaimList = kubeListType(
  PersistentVolumeClaim,
  'PersistentVolumeClaimList',
);
export const ConfigMapList = kubeListType(ConfigMap, 'ConfigMapList');
export const SecretList = kubeListType(Secret, 'SecretList');
export const RegistryCredentialList = kubeListType(RegistryCredential, 'RegistryCredentialList');
export const CertificateList = kubeListType(Certificate, 'CertificateList');

export const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
export const TLS_SECRET = 'kubernetes.io/tls';

export function secretType(obj: KubeObject): string {
  return typeof obj.type === 'string' ? obj.type : 'Opaque';
}

function secretData(obj: KubeObject): Record<string, string> {
  return (obj.data as Record<string, string> | undefined) ?? {};
}

export function decode(b64: string | undefined): string {
  return b64 === undefined ? '' : Buffer.from(b64, 'base64').toString('utf8');
}

export function toPersistentVolumeClaim(clusterId: string, obj: KubeObject): PersistentVolumeClaim {
  const spec = (obj.spec ?? {}) as {
    storageClassName?: string;
    accessModes?: string[];
    resources?: { requests?: { storage?: string } };
    volumeName?: string;
    volumeMode?: string;
  };
  const status = (obj.status ?? {}) as { phase?: string; capacity?: { storage?: string } };
  return Object.assign(new PersistentVolumeClaim(), {
    ...baseOf(clusterId, obj),
    phase: status.phase ?? null,
    storageClassName: spec.storageClassName ?? null,
    accessModes: spec.accessModes ?? [],
    requested: spec.resources?.requests?.storage ?? null,
    capacity: status.capacity?.storage ?? null,
    volumeName: spec.volumeName ?? null,
    volumeMode: spec.volumeMode ?? null,
  });
}

export function toConfigMap(clusterId: string, obj: KubeObject): ConfigMap {
  const data = (obj.data as Record<string, string> | undefined) ?? {};
  const binary = (obj.binaryData as Record<string, string> | undefined) ?? {};
  return Object.assign(new ConfigMap(), {
    ...baseOf(clusterId, obj),
    keys: [...new Set([...Object.keys(data), ...Object.keys(binary)])].sort(),
    data,
  });
}

export function toSecret(clusterId: string, obj: KubeObject): Secret {
  return Object.assign(new Secret(), {
    ...baseOf(clusterId, obj),
    type: secretType(obj),
    keys: Object.keys(secretData(obj)).sort(),
  });
}

export function toRegistryCredential(clusterId: string, obj: KubeObject): RegistryCredential {
  let auths: Record<string, { username?: string; email?: string; auth?: string }> = {};
  try {
    const parsed = JSON.parse(decode(secretData(obj)['.dockerconfigjson'])) as {
      auths?: typeof auths;
    };
    auths = parsed.auths ?? {};
  } catch {
    auths = {};
  }
  return Object.assign(new RegistryCredential(), {
    ...baseOf(clusterId, obj),
    registries: Object.entries(auths)
      .map(([server, a]) => ({
        server,
        // `auth` is base64(user:password); only the user part is shown.
        username: a.username ?? (a.auth ? decode(a.auth).split(':')[0]! : null),
        email: a.email ?? null,
      }))
      .sort((x, y) => (x.server < y.server ? -1 : 1)),
  });
}

export function toCertificate(clusterId: string, obj: KubeObject): Certificate {
  const parsed = parseCertificate(decode(secretData(obj)['tls.crt']));
  return Object.assign(new Certificate(), {
    ...baseOf(clusterId, obj),
    valid: parsed !== undefined,
    subject: parsed?.subject ?? null,
    issuer: parsed?.issuer ?? null,
    subjectAltNames: parsed?.subjectAltNames ?? [],
    serialNumber: parsed?.serialNumber ?? null,
    fingerprintSha256: parsed?.fingerprintSha256 ?? null,
    notBefore: parsed?.notBefore ?? null,
    notAfter: parsed?.notAfter ?? null,
    isCA: parsed?.isCA ?? null,
    chainLength: parsed?.chainLength ?? 0,
  });
}
