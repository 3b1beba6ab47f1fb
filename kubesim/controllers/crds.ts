// CustomResourceDefinitions: an established CRD registers its served versions as resource types
// (discovery, storage, tables with additionalPrinterColumns); deleting it removes the type and
// its objects, as the apiextensions-apiserver does.

import { updateObject } from '../api/object-service.js';
import type { ResourceType } from '../api/resources.js';
import { typeKey } from '../api/resources.js';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asArray, asObject, asString, type KubeObject } from '../storage/types.js';

const CRUD = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

function typesOf(crd: KubeObject): ResourceType[] {
  const spec = asObject(crd.spec);
  const names = asObject(spec.names);
  const group = asString(spec.group);
  return asArray(spec.versions)
    .filter((v) => v.served !== false)
    .map((v) => {
      const sub = asObject(v.subresources);
      const t: ResourceType = {
        group,
        version: asString(v.name),
        resource: asString(names.plural),
        kind: asString(names.kind),
        singular: asString(names.singular) || asString(names.kind).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        verbs: CRUD,
        custom: true,
        subresources: [
          ...(sub.status
            ? [{ name: 'status', kind: asString(names.kind), verbs: ['get', 'patch', 'update'] }]
            : []),
          ...(sub.scale
            ? [
                {
                  name: 'scale',
                  kind: 'Scale',
                  group: 'autoscaling',
                  version: 'v1',
                  verbs: ['get', 'patch', 'update'],
                },
              ]
            : []),
        ],
        printerColumns: asArray(v.additionalPrinterColumns).map((c) => ({
          name: asString(c.name),
          type: asString(c.type, 'string'),
          jsonPath: asString(c.jsonPath),
          priority: typeof c.priority === 'number' ? c.priority : 0,
          description: asString(c.description),
          format: asString(c.format),
        })),
      };
      const short = Array.isArray(names.shortNames) ? names.shortNames.map(String) : [];
      if (short.length > 0) t.shortNames = short;
      const cats = Array.isArray(names.categories) ? names.categories.map(String) : [];
      if (cats.length > 0) t.categories = cats;
      return t;
    });
}

export function onCrdWritten(ctx: ClusterContext, crd: KubeObject, crdType: ResourceType): void {
  if (crd.metadata.deletionTimestamp) return;
  const spec = asObject(crd.spec);
  const plural = asString(asObject(spec.names).plural);
  for (const t of typesOf(crd)) ctx.registry.add(t);
  const conditions = asArray(asObject(crd.status).conditions);
  if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) return;
  const now = rfc3339(ctx.now());
  const status = {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: now,
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: spec.names,
    storedVersions: asArray(spec.versions)
      .filter((v) => v.storage === true)
      .map((v) => asString(v.name)),
  };
  try {
    updateObject(
      ctx,
      crdType,
      '',
      crd.metadata.name ?? `${plural}.${asString(spec.group)}`,
      { ...crd, status },
      { raw: true, subresource: 'status' },
    );
  } catch {
    // deleted meanwhile
  }
}

export function onCrdDeleted(ctx: ClusterContext, crd: KubeObject): void {
  const spec = asObject(crd.spec);
  const group = asString(spec.group);
  const plural = asString(asObject(spec.names).plural);
  const key = typeKey(group, plural);
  for (const s of ctx.store.list(key)) ctx.store.remove(key, s.namespace, s.name);
  ctx.registry.remove(group, plural);
  while (ctx.registry.byKey(key)) ctx.registry.remove(group, plural);
}
