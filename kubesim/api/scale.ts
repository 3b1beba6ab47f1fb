// The /scale subresource (autoscaling/v1 Scale) of deployments, replicasets and statefulsets.

import { decodeBody, readBody, sendJson } from '../server/http-io.js';
import { labelSelectorString } from '../storage/selectors.js';
import { asObject, isObject, type KubeObject } from '../storage/types.js';
import type { ApiRequest } from './api-request.js';
import { gr, updateObject } from './object-service.js';
import { typeKey } from './resources.js';
import { patchedObject } from './rest-handler.js';
import { badRequest, conflict, methodNotAllowed, notFound, OBJECT_MODIFIED } from './status.js';

function toScale(obj: KubeObject): KubeObject {
  const spec = asObject(obj.spec);
  const status = asObject(obj.status);
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: labelSelectorString(spec.selector),
    },
  };
}

export async function handleScale(ar: ApiRequest): Promise<void> {
  const { ctx, t, info } = ar;
  const key = typeKey(t.group, t.resource);
  const current = ctx.store.get(key, info.namespace, info.name);
  if (!current) throw notFound(gr(t), info.name);
  if (info.verb === 'get') {
    sendJson(ar.res, 200, toScale(current));
    return;
  }
  if (info.verb !== 'update' && info.verb !== 'patch') throw methodNotAllowed();
  const raw = await readBody(ar.req);
  const scale = toScale(current);
  const next =
    info.verb === 'update'
      ? decodeBody(raw, ar.req.headers['content-type'])
      : patchedObject(ar, scale, raw);
  if (!isObject(next)) throw badRequest('invalid Scale');
  const rv = asObject(next.metadata).resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion)
    throw conflict(gr(t), info.name, OBJECT_MODIFIED);
  const replicas = asObject(next.spec).replicas;
  if (typeof replicas !== 'number' || replicas < 0) {
    throw badRequest(
      `Scale.autoscaling "${info.name}" is invalid: spec.replicas: Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
    );
  }
  const updated = { ...current, spec: { ...asObject(current.spec), replicas } };
  const { obj } = updateObject(ctx, t, info.namespace, info.name, updated, {
    dryRun: ar.url.searchParams.getAll('dryRun').includes('All'),
  });
  sendJson(ar.res, 200, toScale(obj));
}
