// LIST semantics: selectors, limit/continue (etcd-style continue tokens), resourceVersion and
// resourceVersionMatch checks, and the list envelope.

import type { ClusterContext } from '../server/context.js';
import type { StoredObject } from '../storage/object-store.js';
import {
  type FieldSelector,
  type LabelSelector,
  matchFields,
  matchLabels,
  needsObject,
  parseFieldSelector,
  parseLabelSelector,
} from '../storage/selectors.js';
import type { JsonObject } from '../storage/types.js';
import { type ResourceType, typeKey } from './resources.js';
import { badRequest, CONTINUE_EXPIRED, gone, tooLargeResourceVersion } from './status.js';

export interface ListQuery {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  limit: number;
  continueKey: string | undefined;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodeContinue(value: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') {
      throw new Error('bad');
    }
    return t;
  } catch {
    throw badRequest(
      `continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`,
    );
  }
}

export function parseListQuery(t: ResourceType, params: URLSearchParams): ListQuery {
  const limitRaw = params.get('limit');
  const limit = limitRaw ? Number.parseInt(limitRaw, 10) : 0;
  return {
    labelSelector: parseLabelSelector(params.get('labelSelector')),
    fieldSelector: parseFieldSelector(params.get('fieldSelector'), t.resource),
    limit: Number.isFinite(limit) && limit > 0 ? limit : 0,
    continueKey: params.get('continue') || undefined,
    resourceVersion: params.get('resourceVersion') ?? undefined,
    resourceVersionMatch: params.get('resourceVersionMatch') ?? undefined,
  };
}

export interface ListResult {
  items: StoredObject[];
  /** parsed objects, present when a selector needed them */
  parsed: Map<StoredObject, JsonObject>;
  rv: number;
  continueToken?: string;
  remainingItemCount?: number;
}

/** Selects the items of one page of a LIST. */
export function runList(
  ctx: ClusterContext,
  t: ResourceType,
  namespace: string,
  q: ListQuery,
): ListResult {
  const store = ctx.store;
  const current = store.currentRv;
  if (q.resourceVersion && q.resourceVersion !== '0') {
    const n = Number(q.resourceVersion);
    if (!Number.isInteger(n) || n < 0)
      throw badRequest(`invalid resource version: ${q.resourceVersion}`);
    if (n > current) throw tooLargeResourceVersion(n, current);
    if (q.resourceVersionMatch === 'Exact' && n < store.compactedRv) {
      throw gone('The resourceVersion for the provided list is too old.');
    }
  }
  if (q.resourceVersionMatch && !q.resourceVersion) {
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  let startAfter = '';
  let rv = current;
  if (q.continueKey) {
    if (q.resourceVersion && q.resourceVersion !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(q.continueKey);
    if (token.rv < store.compactedRv) throw gone(CONTINUE_EXPIRED);
    startAfter = token.start.endsWith('\u0000') ? token.start.slice(0, -1) : token.start;
    rv = token.rv;
  }
  const all = store.list(typeKey(t.group, t.resource), t.namespaced ? namespace : undefined);
  const parse = needsObject(q.fieldSelector);
  const parsed = new Map<StoredObject, JsonObject>();
  const selected: StoredObject[] = [];
  let more = false;
  let remaining = 0;
  for (const s of all) {
    if (startAfter && s.key <= startAfter) continue;
    if (!matchLabels(q.labelSelector, s.labels)) continue;
    if (q.fieldSelector.length > 0) {
      const obj = parse
        ? (JSON.parse(s.json) as JsonObject)
        : { metadata: { name: s.name, namespace: s.namespace } };
      if (!matchFields(q.fieldSelector, obj)) continue;
      if (parse) parsed.set(s, obj);
    }
    if (q.limit > 0 && selected.length >= q.limit) {
      more = true;
      remaining++;
      continue;
    }
    selected.push(s);
  }
  const result: ListResult = { items: selected, parsed, rv };
  const last = selected[selected.length - 1];
  if (more && last) {
    result.continueToken = encodeContinue(rv, last.key);
    // Like etcd, the count is only exact when no selector filtered the remainder.
    if (q.labelSelector.length === 0 && q.fieldSelector.length === 0)
      result.remainingItemCount = remaining;
  }
  return result;
}

export function listMeta(r: ListResult): JsonObject {
  const meta: JsonObject = { resourceVersion: String(r.rv) };
  if (r.continueToken) meta.continue = r.continueToken;
  if (r.remainingItemCount !== undefined) meta.remainingItemCount = r.remainingItemCount;
  return meta;
}
