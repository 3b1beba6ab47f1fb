// Generic REST verbs for stored resources: get, list, watch, create, update, patch, delete,
// deletecollection, and the status subresource.

import { stringify as toYaml } from 'yaml';
import { decodeBody, readBody, sendJson } from '../server/http-io.js';
import { asObject, isObject, type JsonObject, type KubeObject } from '../storage/types.js';
import { buildTable } from '../table/table.js';
import {
  type ApiRequest,
  includeObjectOf,
  respondObject,
  TABLE_CONTENT_TYPE,
} from './api-request.js';
import { listMeta, parseListQuery, runList } from './list.js';
import {
  createObject,
  type DeleteOptions,
  deleteObject,
  gr,
  updateObject,
  withTypeMeta,
} from './object-service.js';
import { applyPatch, PATCH_TYPES, patchTypeOf } from './patch.js';
import { optionalQueryBool, queryBool } from './query-bool.js';
import { groupVersion, typeKey } from './resources.js';
import {
  badRequest,
  methodNotSupported,
  notFound,
  successStatus,
  unsupportedMediaType,
} from './status.js';
import { checkBodyFields, checkPatchedFields } from './strict-fields.js';
import { serveWatch, validateWatchParams, type WatchRegistry } from './watch.js';

function dryRun(ar: ApiRequest): boolean {
  return ar.url.searchParams.getAll('dryRun').includes('All');
}

function key(ar: ApiRequest): string {
  return typeKey(ar.t.group, ar.t.resource);
}

function ns(ar: ApiRequest): string {
  return ar.t.namespaced ? ar.info.namespace : '';
}

function requireVerb(ar: ApiRequest, verb: string, action: string): void {
  if (!ar.t.verbs.includes(verb)) throw methodNotSupported(gr(ar.t), action);
}

export function handleGet(ar: ApiRequest): void {
  requireVerb(ar, 'get', 'get');
  const obj = ar.ctx.store.get(key(ar), ns(ar), ar.info.name);
  if (!obj) throw notFound(gr(ar.t), ar.info.name);
  respondObject(ar, 200, withTypeMeta(ar.t, obj));
}

export function handleList(ar: ApiRequest): void {
  requireVerb(ar, 'list', 'list');
  const q = parseListQuery(ar.t, ar.url.searchParams);
  const r = runList(ar.ctx, ar.t, ns(ar), q);
  const meta = listMeta(r);
  const form = ar.form;
  if (form.as === 'table') {
    const objs = r.items.map((s) => r.parsed.get(s) ?? (JSON.parse(s.json) as JsonObject));
    const table = buildTable(
      ar.t,
      objs,
      meta,
      {
        now: ar.ctx.now(),
        includeObject: includeObjectOf(ar.url),
        apiVersion: groupVersion(ar.t),
        kind: ar.t.kind,
        customColumns: ar.customColumns,
      },
      form.version,
    );
    sendJson(ar.res, 200, table, TABLE_CONTENT_TYPE(form.version));
    return;
  }
  if (form.as === 'partial') {
    const items = r.items.map((s) => ({
      kind: 'PartialObjectMetadata',
      apiVersion: `meta.k8s.io/${form.version}`,
      metadata: (JSON.parse(s.json) as JsonObject).metadata,
    }));
    sendJson(ar.res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${form.version}`,
      metadata: meta,
      items,
    });
    return;
  }
  const head = `{"kind":"${ar.t.kind}List","apiVersion":"${groupVersion(ar.t)}","metadata":${JSON.stringify(meta)},"items":[`;
  // Custom resources are unstructured: their list items carry kind/apiVersion.
  const typed = !ar.customColumns;
  const items = r.items.map((s) =>
    typed
      ? s.json
      : `{"apiVersion":"${groupVersion(ar.t)}","kind":"${ar.t.kind}",${s.json.slice(1)}`,
  );
  const body = `${head}${items.join(',')}]}`;
  if (form.as === 'yaml') {
    const text = toYaml(JSON.parse(body));
    ar.res.writeHead(200, { 'Content-Type': 'application/yaml' });
    ar.res.end(text);
    return;
  }
  sendJson(ar.res, 200, body);
}

export function handleWatch(ar: ApiRequest, registry: WatchRegistry, bookmarkMs: number): void {
  requireVerb(ar, 'watch', 'watch');
  const q = parseListQuery(ar.t, ar.url.searchParams);
  const sp = ar.url.searchParams;
  const timeout = sp.get('timeoutSeconds');
  const params = {
    t: ar.t,
    namespace: ns(ar),
    labelSelector: q.labelSelector,
    fieldSelector: q.fieldSelector,
    resourceVersion: sp.get('resourceVersion') ?? undefined,
    resourceVersionMatch: sp.get('resourceVersionMatch') ?? undefined,
    allowBookmarks: queryBool(sp, 'allowWatchBookmarks'),
    sendInitialEvents: optionalQueryBool(sp, 'sendInitialEvents'),
    timeoutSeconds: timeout ? Number(timeout) : undefined,
    table:
      ar.form.as === 'table'
        ? { version: ar.form.version, includeObject: includeObjectOf(ar.url) }
        : undefined,
    customColumns: ar.customColumns,
  };
  validateWatchParams(params);
  serveWatch(ar.ctx, ar.req, ar.res, params, registry, bookmarkMs);
}

export async function handleCreate(ar: ApiRequest): Promise<void> {
  requireVerb(ar, 'create', 'create');
  const body = decodeBody(await readBody(ar.req), ar.req.headers['content-type']);
  checkBodyFields(ar, body);
  const obj = createObject(ar.ctx, ar.t, ar.info.namespace, body, { dryRun: dryRun(ar) });
  respondObject(ar, 201, obj);
}

export async function handleUpdate(ar: ApiRequest): Promise<void> {
  const sub = ar.info.subresource;
  requireVerb(ar, 'update', 'update');
  const body = decodeBody(await readBody(ar.req), ar.req.headers['content-type']);
  checkBodyFields(ar, body);
  const { obj, created } = updateObject(ar.ctx, ar.t, ns(ar), ar.info.name, body, {
    dryRun: dryRun(ar),
    subresource: sub === 'status' ? 'status' : '',
  });
  respondObject(ar, created ? 201 : 200, obj);
}

/** Applies a patch document to an object (shared with subresources such as scale). */
export function patchedObject(
  ar: ApiRequest,
  current: KubeObject | undefined,
  raw: Buffer,
  onPatch?: (type: string, patch: unknown) => void,
): unknown {
  const type = patchTypeOf(ar.req.headers['content-type']);
  if (!type) throw unsupportedMediaType(PATCH_TYPES);
  if (type === 'strategic' && ar.customColumns) {
    throw unsupportedMediaType(PATCH_TYPES.filter((p) => !p.includes('strategic')));
  }
  if (type === 'apply' && !ar.url.searchParams.get('fieldManager')) {
    throw badRequest('PATCH request must specify fieldManager');
  }
  const patch =
    type === 'json'
      ? JSON.parse(raw.toString('utf8'))
      : decodeBody(raw, type === 'apply' ? 'application/yaml' : 'application/json');
  onPatch?.(type, patch);
  return applyPatch(type, current ?? {}, patch);
}

export async function handlePatch(ar: ApiRequest): Promise<void> {
  requireVerb(ar, 'patch', 'patch');
  const raw = await readBody(ar.req);
  const current = ar.ctx.store.get(key(ar), ns(ar), ar.info.name);
  const isApply = patchTypeOf(ar.req.headers['content-type']) === 'apply';
  if (!current && !isApply) throw notFound(gr(ar.t), ar.info.name);
  let patchType = '';
  let patchDoc: unknown;
  const remember = (type: string, patch: unknown) => {
    patchType = type;
    patchDoc = patch;
  };
  if (!current) {
    const body = patchedObject(ar, undefined, raw, remember);
    checkPatchedFields(ar, patchType, patchDoc, undefined, body);
    const obj = createObject(ar.ctx, ar.t, ar.info.namespace, body, { dryRun: dryRun(ar) });
    respondObject(ar, 201, obj);
    return;
  }
  const base = withTypeMeta(ar.t, current);
  const next = patchedObject(ar, base, raw, remember);
  if (!isObject(next)) throw badRequest('patch produced a non-object');
  checkPatchedFields(ar, patchType, patchDoc, base, next);
  const meta = asObject(next.metadata);
  next.metadata = meta;
  meta.resourceVersion ??= current.metadata.resourceVersion;
  const { obj } = updateObject(ar.ctx, ar.t, ns(ar), ar.info.name, next, {
    dryRun: dryRun(ar),
    subresource: ar.info.subresource === 'status' ? 'status' : '',
    allowCreate: false,
  });
  respondObject(ar, 200, obj);
}

async function deleteOptions(ar: ApiRequest): Promise<DeleteOptions> {
  const raw = await readBody(ar.req);
  // client-go sends DeleteOptions in the request's content type: JSON, or protobuf from typed
  // clients such as Helm's (`helm uninstall`); an empty body means defaults.
  const body =
    raw.length > 0
      ? asObject(decodeBody(raw, ar.req.headers['content-type'] ?? 'application/json'))
      : {};
  const sp = ar.url.searchParams;
  const grace = sp.get('gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const opts: DeleteOptions = {
    propagationPolicy:
      sp.get('propagationPolicy') ?? (body.propagationPolicy as string | undefined),
    preconditions: isObject(body.preconditions)
      ? (body.preconditions as DeleteOptions['preconditions'])
      : undefined,
    dryRun: dryRun(ar) || (Array.isArray(body.dryRun) && body.dryRun.includes('All')),
  };
  if (grace !== undefined && grace !== null) opts.gracePeriodSeconds = Number(grace);
  const orphan = optionalQueryBool(sp, 'orphanDependents') ?? body.orphanDependents;
  if (orphan === true) opts.propagationPolicy = 'Orphan';
  return opts;
}

/** Kinds whose DELETE answers with the object rather than a Success Status. */
const RETURNS_OBJECT = new Set([
  'pods',
  'namespaces',
  'services',
  'customresourcedefinitions.apiextensions.k8s.io',
]);

export async function handleDelete(ar: ApiRequest): Promise<void> {
  requireVerb(ar, 'delete', 'delete');
  const opts = await deleteOptions(ar);
  const r = deleteObject(ar.ctx, ar.t, ns(ar), ar.info.name, opts);
  if (r.kind === 'pending' || RETURNS_OBJECT.has(key(ar)) || ar.customColumns) {
    respondObject(ar, 200, r.obj);
    return;
  }
  const details: Record<string, string> = { name: ar.info.name };
  if (ar.t.group) details.group = ar.t.group;
  details.kind = ar.t.resource;
  details.uid = r.obj.metadata.uid ?? '';
  sendJson(ar.res, 200, successStatus(details));
}

export async function handleDeleteCollection(ar: ApiRequest): Promise<void> {
  requireVerb(ar, 'deletecollection', 'deletecollection');
  const opts = await deleteOptions(ar);
  const q = parseListQuery(ar.t, ar.url.searchParams);
  const r = runList(ar.ctx, ar.t, ns(ar), { ...q, limit: 0, continueKey: undefined });
  const deleted: JsonObject[] = [];
  for (const s of r.items) {
    try {
      const d = deleteObject(ar.ctx, ar.t, s.namespace, s.name, opts);
      const { kind: _k, apiVersion: _a, ...rest } = d.obj;
      deleted.push(rest);
    } catch {
      // Already gone: deletecollection is best effort per item.
    }
  }
  sendJson(ar.res, 200, {
    kind: `${ar.t.kind}List`,
    apiVersion: groupVersion(ar.t),
    metadata: { resourceVersion: String(ar.ctx.store.currentRv) },
    items: deleted,
  });
}
