// Unknown-field detection against the OpenAPI definitions, producing the strict decoding
// errors of the apiserver's JSON decoder: `unknown field "spec.containers[0].foo"`, in the
// order the fields appear. Maps and preserve-unknown-fields subtrees accept any key.

import { definition, refName, type Schema } from './definitions.js';

function resolve(schema: Schema): Schema | undefined {
  let s: Schema | undefined = schema;
  for (let i = 0; s?.$ref && i < 8; i++) s = definition(refName(s.$ref));
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects unknown-field errors; deletes the fields whose error is in `drop`. */
function walk(
  value: unknown,
  schema: Schema,
  path: string,
  out: string[],
  drop?: Set<string>,
): void {
  const s = resolve(schema);
  if (!s || s['x-kubernetes-preserve-unknown-fields']) return;
  if (isPlainObject(value)) {
    if (s.properties) {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        const prop = s.properties[key];
        if (prop) walk(child, prop, childPath, out, drop);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object')
          walk(child, s.additionalProperties, childPath, out, drop);
        else if (!s.additionalProperties) {
          const error = `unknown field "${childPath}"`;
          out.push(error);
          if (drop?.has(error)) delete value[key];
        }
      }
    } else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      for (const [key, child] of Object.entries(value))
        walk(child, s.additionalProperties, path ? `${path}.${key}` : key, out, drop);
    }
    return;
  }
  if (Array.isArray(value) && s.items) {
    value.forEach((item, i) => {
      walk(item, s.items as Schema, `${path}[${i}]`, out, drop);
    });
  }
}

/** Strict decoding errors for fields a definition (by name) or schema does not declare. */
export function unknownFields(value: unknown, root: string | Schema): string[] {
  const out: string[] = [];
  walk(value, rootSchema(root), '', out);
  return out;
}

function rootSchema(root: string | Schema): Schema {
  return typeof root === 'string' ? { $ref: `#/definitions/${root}` } : root;
}

/** Removes the fields named by the given unknown-field errors, as the decoder drops them. */
export function dropUnknownFields(value: unknown, root: string | Schema, errors: string[]): void {
  walk(value, rootSchema(root), '', [], new Set(errors));
}

/** Go's `%+v` of a decoded JSON value, as the apiserver quotes a patch map in errors. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(value[k])}`).join(' ')}]`;
  }
  return String(value);
}
