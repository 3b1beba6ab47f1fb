// Schemas of custom resources, from their CustomResourceDefinition's openAPIV3Schema, shaped as
// the apiextensions server publishes them: apiVersion/kind/metadata added (metadata as
// ObjectMeta), named `<reversed group>.<version>.<Kind>`, with the group-version-kind.

import type { ResourceType } from '../api/resources.js';
import type { ObjectStore } from '../storage/object-store.js';
import { asArray, asObject, asString, type KubeObject } from '../storage/types.js';
import { definition, type Schema } from './definitions.js';

const CRDS = 'customresourcedefinitions.apiextensions.k8s.io';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const LIST_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta';

/** The component name the apiserver gives a custom kind, e.g. com.example.stable.v1.CronTab. */
export function customSchemaName(t: ResourceType, kind = t.kind): string {
  return `${t.group.split('.').reverse().join('.')}.${t.version}.${kind}`;
}

function typeMetaProperty(name: 'apiVersion' | 'kind'): Schema {
  const objectMeta = definition('io.k8s.api.core.v1.Pod')?.properties?.[name];
  return {
    type: 'string',
    ...(objectMeta?.description ? { description: objectMeta.description } : {}),
  };
}

/** The schema of a custom kind, or undefined when its CRD version declares none. */
export function customResourceSchema(store: ObjectStore, t: ResourceType): Schema | undefined {
  if (!t.custom) return undefined;
  const crd = store.get(CRDS, '', `${t.resource}.${t.group}`) as KubeObject | undefined;
  if (!crd) return undefined;
  const version = asArray(asObject(crd.spec).versions).find((v) => asString(v.name) === t.version);
  const raw = asObject(asObject(version?.schema).openAPIV3Schema);
  if (Object.keys(raw).length === 0) return undefined;
  const copy = JSON.parse(JSON.stringify(raw)) as Schema;
  return {
    ...copy,
    type: copy.type ?? 'object',
    properties: {
      ...copy.properties,
      apiVersion: typeMetaProperty('apiVersion'),
      kind: typeMetaProperty('kind'),
      metadata: {
        $ref: `#/definitions/${OBJECT_META}`,
        description:
          "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
    },
    'x-kubernetes-group-version-kind': [{ group: t.group, version: t.version, kind: t.kind }],
  };
}

/** The list schema published next to a custom kind. */
export function customListSchema(t: ResourceType): Schema {
  return {
    description: `${t.kind}List is a list of ${t.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: typeMetaProperty('apiVersion'),
      items: {
        description: `List of ${t.resource}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`,
        type: 'array',
        items: { $ref: `#/definitions/${customSchemaName(t)}` },
      },
      kind: typeMetaProperty('kind'),
      metadata: { $ref: `#/definitions/${LIST_META}` },
    },
    'x-kubernetes-group-version-kind': [
      { group: t.group, version: t.version, kind: `${t.kind}List` },
    ],
  };
}

export const CUSTOM_SCHEMA_REFS = [OBJECT_META, LIST_META];
