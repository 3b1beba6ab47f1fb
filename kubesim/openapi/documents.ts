// Schemas for the OpenAPI documents: the components of one group-version's v3 document (its
// kinds, their lists and subresource kinds, plus everything they reference), rewritten from v2
// to v3 form as the apiserver publishes them (`#/components/schemas/...`, a `$ref` with
// sibling keywords wrapped in `allOf`), and the v2 definitions for /openapi/v2.

import type { ResourceType } from '../api/resources.js';
import type { ObjectStore } from '../storage/object-store.js';
import {
  CUSTOM_SCHEMA_REFS,
  customListSchema,
  customResourceSchema,
  customSchemaName,
} from './custom-schemas.js';
import { closure, definition, definitionForKind, type Schema } from './definitions.js';

type Json = Record<string, unknown>;

function toV3(schema: Schema): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, Schema>).map(([p, s]) => [p, toV3(s)]),
      );
    } else if ((k === 'items' || k === 'additionalProperties') && v && typeof v === 'object') {
      out[k] = toV3(v as Schema);
    } else {
      out[k] = v;
    }
  }
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref.replace('#/definitions/', '#/components/schemas/');
    if (Object.keys(out).length === 0) return { $ref: ref };
    out.allOf = [{ $ref: ref }];
  }
  return out;
}

/** Definition names a set of served types needs, including subresource kinds and lists. */
export function rootDefinitions(types: ResourceType[]): string[] {
  const roots: string[] = [];
  const add = (group: string, version: string, kind: string) => {
    for (const k of [kind, `${kind}List`]) {
      const name = definitionForKind(group, version, k);
      if (name) roots.push(name);
    }
  };
  for (const t of types) {
    add(t.group, t.version, t.kind);
    for (const s of t.subresources ?? []) add(s.group ?? t.group, s.version ?? t.version, s.kind);
  }
  return roots;
}

const v3Cache = new Map<string, Json>();

/** `components.schemas` of a v3 document for the given types (memoized by root set). */
export function v3Components(types: ResourceType[]): Json {
  const roots = rootDefinitions(types);
  const key = roots.join(',');
  const cached = v3Cache.get(key);
  if (cached) return cached;
  const schemas: Json = {};
  for (const name of closure(roots)) {
    const def = definition(name);
    if (def) schemas[name] = toV3(def);
  }
  v3Cache.set(key, schemas);
  return schemas;
}

/** `definitions` of the v2 document. */
export function v2Definitions(types: ResourceType[]): Json {
  const defs: Json = {};
  for (const name of closure(rootDefinitions(types))) defs[name] = definition(name);
  return defs;
}

/** Components for custom kinds with a schema (plus the meta types they reference). */
export function customComponents(store: ObjectStore, types: ResourceType[]): Json {
  const schemas: Json = {};
  let any = false;
  for (const t of types) {
    const schema = customResourceSchema(store, t);
    if (!schema) continue;
    any = true;
    schemas[customSchemaName(t)] = toV3(schema);
    schemas[customSchemaName(t, `${t.kind}List`)] = toV3(customListSchema(t));
  }
  if (any) {
    for (const name of closure(CUSTOM_SCHEMA_REFS)) {
      const def = definition(name);
      if (def) schemas[name] = toV3(def);
    }
  }
  return schemas;
}
