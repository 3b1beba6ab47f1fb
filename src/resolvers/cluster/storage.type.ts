import { Field, ObjectType } from 'type-graphql';
import type { KubeObject } from '../../domain/kube-api.js';
import { JSONScalar } from './json.scalar.js';
import { baseOf, KubeObjectBase, kubeListType } from './kube-object.type.js';

@ObjectType({ implements: KubeObjectBase })
export class StorageClass extends KubeObjectBase {
  @Field()
  provisioner!: string;

  @Field(() => String, { nullable: true })
  reclaimPolicy!: string | null;

  @Field(() => String, { nullable: true })
  volumeBindingMode!: string | null;

  @Field()
  allowVolumeExpansion!: boolean;

  @Field({ description: 'Annotated as the cluster default.' })
  isDefault!: boolean;

  @Field(() => JSONScalar)
  parameters!: Record<string, string>;
}

@ObjectType()
export class ObjectRef {
  @Field(() => String, { nullable: true })
  namespace!: string | null;

  @Field()
  name!: string;
}

@ObjectType({ implements: KubeObjectBase })
export class PersistentVolume extends KubeObjectBase {
  @Field(() => String, { nullable: true, description: 'Requested size, e.g. `10Gi`.' })
  capacity!: string | null;

  @Field(() => [String])
  accessModes!: string[];

  @Field(() => String, { nullable: true })
  reclaimPolicy!: string | null;

  @Field(() => String, { nullable: true })
  storageClassName!: string | null;

  @Field(() => String, { nullable: true })
  volumeMode!: string | null;

  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => ObjectRef, { nullable: true, description: 'The claim bound to it.' })
  claim!: ObjectRef | null;
}

export const StorageClassList = kubeListType(StorageClass, 'StorageClassList');
export const PersistentVolumeList = kubeListType(PersistentVolume, 'PersistentVolumeList');

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

export function toStorageClass(clusterId: string, obj: KubeObject): StorageClass {
  const o = obj as KubeObject & {
    provisioner?: string;
    reclaimPolicy?: string;
    volumeBindingMode?: string;
    allowVolumeExpansion?: boolean;
    parameters?: Record<string, string>;
  };
  return Object.assign(new StorageClass(), {
    ...baseOf(clusterId, obj),
    provisioner: o.provisioner ?? '',
    reclaimPolicy: o.reclaimPolicy ?? null,
    volumeBindingMode: o.volumeBindingMode ?? null,
    allowVolumeExpansion: o.allowVolumeExpansion === true,
    isDefault: obj.metadata.annotations?.[DEFAULT_CLASS] === 'true',
    parameters: o.parameters ?? {},
  });
}

export function toPersistentVolume(clusterId: string, obj: KubeObject): PersistentVolume {
  const spec = (obj.spec ?? {}) as {
    capacity?: { storage?: string };
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string;
    volumeMode?: string;
    claimRef?: { namespace?: string; name?: string };
  };
  const status = (obj.status ?? {}) as { phase?: string };
  return Object.assign(new PersistentVolume(), {
    ...baseOf(clusterId, obj),
    capacity: spec.capacity?.storage ?? null,
    accessModes: spec.accessModes ?? [],
    reclaimPolicy: spec.persistentVolumeReclaimPolicy ?? null,
    storageClassName: spec.storageClassName ?? null,
    volumeMode: spec.volumeMode ?? null,
    phase: status.phase ?? null,
    claim: spec.claimRef?.name
      ? { namespace: spec.claimRef.namespace ?? null, name: spec.claimRef.name }
      : null,
  });
}
