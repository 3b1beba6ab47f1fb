// Create/update/delete with the generic registry's semantics: namespace checks, generateName,
// uid/creationTimestamp, resourceVersion preconditions (409), status-vs-spec updates,
// generation bumps, no-op updates, finalizers and graceful deletion.

import { randomBytes } from 'node:crypto';
import type { ClusterContext } from '../server/context.js';
import { rfc3339 } from '../server/context.js';
import { asObject, isObject, type JsonObject, type KubeObject } from '../storage/types.js';
import { applyCreateDefaults, hasGeneration, mergeSecretStringData } from './defaults.js';
import { groupVersion, type ResourceType, typeKey } from './resources.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  notFound,
  OBJECT_MODIFIED,
} from './status.js';
import { validateLabels, validateName } from './validation.js';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

export function generateSuffix(ctx: ClusterContext, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[Math.floor(ctx.random() * NAME_CHARS.length)];
  return s;
}

export function gr(t: ResourceType): { group: string; resource: string } {
  return { group: t.group, resource: t.resource };
}

/** Puts metadata first and status last, like the Go structs serialize. */
export function orderFields(obj: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, status, ...rest } = obj;
  const out: KubeObject = { metadata };
  if (apiVersion !== undefined) out.apiVersion = apiVersion;
  if (kind !== undefined) out.kind = kind;
  Object.assign(out, rest);
  if (status !== undefined) out.status = status;
  return out;
}

export function withTypeMeta(t: ResourceType, obj: KubeObject): KubeObject {
  const { metadata, ...rest } = obj;
  const { apiVersion: _a, kind: _k, ...body } = rest;
  return { kind: t.kind, apiVersion: groupVersion(t), metadata, ...body };
}

export interface WriteOptions {
  dryRun?: boolean;
  /** skip defaulting/validation (seeds and controllers write finished objects) */
  raw?: boolean;
}

function checkNamespace(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  name: string,
): void {
  if (!t.namespaced) return;
  const ns = ctx.store.get('namespaces', '', namespace);
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (ns.metadata.deletionTimestamp || asObject(ns.status).phase === 'Terminating') {
    throw forbidden(
      gr(t),
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

function checkTypeMeta(t: ResourceType, body: JsonObject): void {
  if (body.apiVersion !== undefined && body.apiVersion !== groupVersion(t)) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${groupVersion(t)})`,
    );
  }
  if (body.kind !== undefined && body.kind !== t.kind) {
    throw badRequest(
      `the kind in the data (${String(body.kind)}) does not match the expected kind (${t.kind})`,
    );
  }
}

/** Creates an object; `namespace` is the one from the URL. */
export function createObject(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  body: unknown,
  opts: WriteOptions = {},
): KubeObject {
  if (!isObject(body)) throw badRequest('the body of the request was not a JSON object');
  checkTypeMeta(t, body);
  const obj = JSON.parse(JSON.stringify(body)) as KubeObject;
  obj.metadata = asObject(obj.metadata);
  const meta = obj.metadata;
  if (t.namespaced) {
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    meta.namespace = namespace || meta.namespace || 'default';
  } else {
    delete meta.namespace;
  }
  if (meta.resourceVersion)
    throw badRequest('resourceVersion should not be set on objects to be created');
  if (!opts.raw) validateName(t, meta.name, meta.generateName);
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${generateSuffix(ctx)}`;
  const name = meta.name ?? '';
  if (!opts.raw) {
    validateLabels(t, name, meta.labels);
    checkNamespace(ctx, t, meta.namespace ?? '', name);
  }
  const key = typeKey(t.group, t.resource);
  if (ctx.store.getStored(key, meta.namespace ?? '', name)) throw alreadyExists(gr(t), name);
  meta.uid = meta.uid && opts.raw ? meta.uid : ctx.newUid();
  meta.creationTimestamp =
    meta.creationTimestamp && opts.raw ? meta.creationTimestamp : rfc3339(ctx.now());
  delete meta.deletionTimestamp;
  if (hasGeneration(t)) meta.generation = 1;
  if (!opts.raw) applyCreateDefaults(ctx, t, obj);
  mergeSecretStringData(t, obj);
  const ordered = orderFields({ ...obj, apiVersion: undefined, kind: undefined });
  delete ordered.apiVersion;
  delete ordered.kind;
  if (opts.dryRun) return withTypeMeta(t, ordered);
  ctx.store.put(key, ordered, 'ADDED');
  ctx.hooks.afterWrite(t, ordered, undefined);
  return withTypeMeta(t, ordered);
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { kind: _k, apiVersion: _a, ...rest } = o;
    return JSON.stringify({ ...rest, metadata: { ...rest.metadata, resourceVersion: undefined } });
  };
  return strip(a) === strip(b);
}

export interface UpdateOptions extends WriteOptions {
  subresource?: '' | 'status';
  /** PUT may create for a few kinds (leases, events, RBAC) */
  allowCreate?: boolean;
}

const CREATE_ON_UPDATE = new Set([
  'leases.coordination.k8s.io',
  'events',
  'endpoints',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
]);

/** Replaces an object (PUT semantics, also the last step of PATCH). */
export function updateObject(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  name: string,
  body: unknown,
  opts: UpdateOptions = {},
): { obj: KubeObject; created: boolean } {
  if (!isObject(body)) throw badRequest('the body of the request was not a JSON object');
  checkTypeMeta(t, body);
  const incoming = JSON.parse(JSON.stringify(body)) as KubeObject;
  incoming.metadata = asObject(incoming.metadata);
  if (incoming.metadata.name && incoming.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  if (t.namespaced && incoming.metadata.namespace && incoming.metadata.namespace !== namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  const key = typeKey(t.group, t.resource);
  const current = ctx.store.get(key, t.namespaced ? namespace : '', name);
  if (!current) {
    if ((opts.allowCreate ?? CREATE_ON_UPDATE.has(key)) && !opts.subresource) {
      const { resourceVersion: _rv, ...meta } = incoming.metadata;
      const obj = createObject(
        ctx,
        t,
        namespace,
        { ...incoming, metadata: { ...meta, name } },
        opts,
      );
      return { obj, created: true };
    }
    throw notFound(gr(t), name);
  }
  const rv = incoming.metadata.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) throw conflict(gr(t), name, OBJECT_MODIFIED);
  if (!opts.raw) validateLabels(t, name, incoming.metadata.labels);

  let next: KubeObject;
  if (opts.subresource === 'status') {
    next = { ...current, status: incoming.status };
  } else {
    next = { ...incoming, metadata: { ...incoming.metadata } };
    mergeSecretStringData(t, next);
    // The main resource cannot change status for kinds that have a status subresource.
    const hasStatusSub = (t.subresources ?? []).some((s) => s.name === 'status');
    if (hasStatusSub && !opts.raw) next.status = current.status;
  }
  const meta = next.metadata;
  meta.name = name;
  if (t.namespaced) meta.namespace = namespace;
  else delete meta.namespace;
  meta.uid = current.metadata.uid;
  meta.creationTimestamp = current.metadata.creationTimestamp;
  if (current.metadata.deletionTimestamp) {
    meta.deletionTimestamp = current.metadata.deletionTimestamp;
    meta.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds;
  } else {
    delete meta.deletionTimestamp;
  }
  meta.resourceVersion = current.metadata.resourceVersion;
  if (hasGeneration(t)) {
    const gen = current.metadata.generation ?? 1;
    const specChanged =
      JSON.stringify(stripMetaStatus(current)) !== JSON.stringify(stripMetaStatus(next));
    meta.generation = specChanged && opts.subresource !== 'status' ? gen + 1 : gen;
  }
  const ordered = orderFields(next);
  delete ordered.apiVersion;
  delete ordered.kind;
  if (sameContent(ordered, current) || opts.dryRun) {
    return { obj: withTypeMeta(t, opts.dryRun ? ordered : current), created: false };
  }
  if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0) {
    // The last finalizer is gone: the object disappears.
    ctx.store.put(key, ordered, 'MODIFIED');
    const removed = ctx.store.remove(key, meta.namespace ?? '', name);
    if (removed) ctx.hooks.afterDelete(t, removed);
    return { obj: withTypeMeta(t, ordered), created: false };
  }
  ctx.store.put(key, ordered, 'MODIFIED');
  ctx.hooks.afterWrite(t, ordered, current);
  return { obj: withTypeMeta(t, ordered), created: false };
}

function stripMetaStatus(o: KubeObject): unknown {
  const { metadata: _m, status: _s, kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type DeleteResult =
  | { kind: 'deleted'; obj: KubeObject }
  | { kind: 'pending'; obj: KubeObject };

/** Deletes an object, or marks it for deletion when finalizers or grace apply. */
export function deleteObject(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  name: string,
  opts: DeleteOptions = {},
): DeleteResult {
  const key = typeKey(t.group, t.resource);
  const ns = t.namespaced ? namespace : '';
  const current = ctx.store.get(key, ns, name);
  if (!current) throw notFound(gr(t), name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      gr(t),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      gr(t),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${current.metadata.resourceVersion}`,
    );
  }
  if (opts.dryRun) return { kind: 'deleted', obj: withTypeMeta(t, current) };
  const finalizers = [...(current.metadata.finalizers ?? [])];
  if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) {
    finalizers.push('foregroundDeletion');
  }
  if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan'))
    finalizers.push('orphan');
  const graceful =
    key === 'pods' && asObject(current.spec).nodeName && opts.gracePeriodSeconds !== 0;
  if (key === 'namespaces' || finalizers.length > 0 || graceful) {
    if (current.metadata.deletionTimestamp && !graceful)
      return { kind: 'pending', obj: withTypeMeta(t, current) };
    const marked: KubeObject = {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: current.metadata.deletionTimestamp ?? rfc3339(ctx.now()),
        deletionGracePeriodSeconds: graceful
          ? (opts.gracePeriodSeconds ??
            Number(asObject(current.spec).terminationGracePeriodSeconds ?? 30))
          : 0,
        finalizers: finalizers.length > 0 ? finalizers : undefined,
      },
    };
    if (key === 'namespaces') marked.status = { ...asObject(current.status), phase: 'Terminating' };
    if (marked.metadata.finalizers === undefined) delete marked.metadata.finalizers;
    const ordered = orderFields(marked);
    ctx.store.put(key, ordered, 'MODIFIED');
    ctx.hooks.afterWrite(t, ordered, current);
    return { kind: 'pending', obj: withTypeMeta(t, ordered) };
  }
  const removed = ctx.store.remove(key, ns, name) ?? current;
  ctx.hooks.afterDelete(t, removed);
  return { kind: 'deleted', obj: withTypeMeta(t, removed) };
}

/** Removes an object right away (controllers finishing a graceful deletion). */
export function purgeObject(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  name: string,
): void {
  const key = typeKey(t.group, t.resource);
  const removed = ctx.store.remove(key, t.namespaced ? namespace : '', name);
  if (removed) ctx.hooks.afterDelete(t, removed);
}

export function randomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}
