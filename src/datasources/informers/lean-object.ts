/**
 * What an informer keeps of each object. Caches of a whole fleet hold hundreds of thousands
 * of objects, so what no consumer reads is dropped on arrival, as client-go informers do with
 * a transform: managed fields and the last-applied annotation of every kind, node images, and
 * of RBAC objects everything but what authorization reads.
 */
import type { InformedKind } from '../../domain/cluster-informers.js';
import type { KubeMetadata, KubeObject } from '../../domain/kube-api.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const RBAC_KINDS = new Set(['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings']);

function leanMetadata(m: KubeMetadata): KubeMetadata {
  const { managedFields: _managed, ...rest } = m;
  if (rest.annotations !== undefined && LAST_APPLIED in rest.annotations) {
    const { [LAST_APPLIED]: _applied, ...annotations } = rest.annotations;
    return { ...rest, annotations };
  }
  return rest;
}

export function leanObject(kind: InformedKind, object: KubeObject): KubeObject {
  const metadata = object.metadata ?? {};
  if (RBAC_KINDS.has(kind)) {
    const m = metadata;
    return {
      metadata: {
        name: m.name,
        ...(m.namespace === undefined ? {} : { namespace: m.namespace }),
        ...(m.uid === undefined ? {} : { uid: m.uid }),
        ...(m.resourceVersion === undefined ? {} : { resourceVersion: m.resourceVersion }),
        ...(m.labels === undefined ? {} : { labels: m.labels }),
      },
      ...('rules' in object ? { rules: object.rules } : {}),
      ...('roleRef' in object ? { roleRef: object.roleRef } : {}),
      ...('subjects' in object ? { subjects: object.subjects } : {}),
      ...('aggregationRule' in object ? { aggregationRule: object.aggregationRule } : {}),
    };
  }
  const lean: KubeObject = { ...object, metadata: leanMetadata(metadata) };
  if (kind === 'nodes' && typeof lean.status === 'object' && lean.status !== null) {
    const { images: _images, ...status } = lean.status as Record<string, unknown>;
    lean.status = status;
  }
  return lean;
}
