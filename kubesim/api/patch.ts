// PATCH bodies: RFC 6902 JSON patch, RFC 7386 merge patch, and strategic merge patch with the
// merge keys and directives ($patch, $retainKeys, $deleteFromPrimitiveList,
// $setElementOrder) that kubectl apply/edit/label/annotate/scale send.

import { isObject, type JsonObject } from '../storage/types.js';
import { badRequest, StatusError } from './status.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function unprocessable(message: string): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'Invalid',
    code: 422,
  });
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** RFC 7386 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw unprocessable(`JSON pointer must start with '/': ${path}`);
  return path.slice(1).split('/').map(unescapePointer);
}

function getAt(doc: unknown, parts: string[]): unknown {
  let cur = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
  }
  return cur;
}

function containerOf(
  doc: unknown,
  parts: string[],
  op: string,
  path: string,
): { parent: unknown; key: string } {
  const parent = getAt(doc, parts.slice(0, -1));
  if (!isObject(parent) && !Array.isArray(parent)) {
    throw unprocessable(
      `${op} operation does not apply: doc is missing path: "${path}": missing value`,
    );
  }
  return { parent, key: parts[parts.length - 1] ?? '' };
}

/** RFC 6902, applied to a copy. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = clone(doc);
  for (const raw of ops) {
    if (!isObject(raw)) throw badRequest('invalid JSON patch operation');
    const op = String(raw.op);
    const path = String(raw.path ?? '');
    const parts = parsePointer(path);
    const remove = (p: string[], pathText: string): unknown => {
      const { parent, key } = containerOf(root, p, op, pathText);
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!(i >= 0 && i < parent.length))
          throw unprocessable(
            `${op} operation does not apply: doc is missing path: "${pathText}": missing value`,
          );
        return parent.splice(i, 1)[0];
      }
      const obj = parent as JsonObject;
      if (!(key in obj))
        throw unprocessable(
          `${op} operation does not apply: doc is missing path: "${pathText}": missing value`,
        );
      const v = obj[key];
      delete obj[key];
      return v;
    };
    const add = (p: string[], value: unknown, pathText: string) => {
      if (p.length === 0) {
        root = value;
        return;
      }
      const { parent, key } = containerOf(root, p, op, pathText);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!(i >= 0 && i <= parent.length))
          throw unprocessable(
            `${op} operation does not apply: doc is missing path: "${pathText}": missing value`,
          );
        parent.splice(i, 0, value);
      } else (parent as JsonObject)[key] = value;
    };
    switch (op) {
      case 'add':
        add(parts, clone(raw.value), path);
        break;
      case 'remove':
        remove(parts, path);
        break;
      case 'replace':
        remove(parts, path);
        add(parts, clone(raw.value), path);
        break;
      case 'move': {
        const from = String(raw.from ?? '');
        const v = remove(parsePointer(from), from);
        add(parts, v, path);
        break;
      }
      case 'copy': {
        const from = String(raw.from ?? '');
        add(parts, clone(getAt(root, parsePointer(from))), path);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(root, parts)) !== JSON.stringify(raw.value)) {
          throw unprocessable(`testing value ${path} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return root;
}

/** patchMergeKey of list fields, as declared on the core Go types. */
function mergeKeyFor(field: string, sample: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'secrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'conditions':
    case 'addresses':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'ports':
      return sample.some((e) => isObject(e) && 'containerPort' in e) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

const MERGED_PRIMITIVE_LISTS = new Set(['finalizers']);

function mergeList(field: string, original: unknown, patch: unknown[]): unknown[] {
  const orig = Array.isArray(original) ? original : [];
  if (MERGED_PRIMITIVE_LISTS.has(field) && patch.every((v) => !isObject(v))) {
    const out = [...orig];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, [...patch, ...orig]);
  if (!key) return clone(patch.filter((e) => !(isObject(e) && '$patch' in e)));
  if (patch.some((e) => isObject(e) && e.$patch === 'replace')) {
    return clone(patch.filter((e) => !(isObject(e) && e.$patch === 'replace')));
  }
  const out: unknown[] = clone(orig);
  for (const item of patch) {
    if (!isObject(item)) continue;
    const idx = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(strategicMerge(undefined, item));
  }
  return out;
}

/** Strategic merge patch for built-in kinds. */
export function strategicMerge(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  const out: JsonObject = isObject(original) ? { ...original } : {};
  const retain = Array.isArray(patch.$retainKeys) ? patch.$retainKeys.map(String) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const remove = Array.isArray(v) ? v : [];
      if (Array.isArray(out[field]))
        out[field] = (out[field] as unknown[]).filter((x) => !remove.includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(k, out[k], v);
      continue;
    }
    if (isObject(v)) {
      const merged = strategicMerge(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const ct = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  switch (ct) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      return undefined;
  }
}

export function applyPatch(type: PatchType, original: unknown, patch: unknown): unknown {
  switch (type) {
    case 'json':
      return jsonPatch(original, patch);
    case 'merge':
      if (!isObject(patch))
        throw badRequest(
          'json: cannot unmarshal array into Go value of type map[string]interface {}',
        );
      return mergePatch(original, patch);
    case 'strategic':
    case 'apply':
      if (!isObject(patch))
        throw badRequest(
          'json: cannot unmarshal array into Go value of type map[string]interface {}',
        );
      return strategicMerge(original, patch);
  }
}
