// Read access to the generated OpenAPI v2 definitions: lookup by name or by group/version/kind,
// and the transitive closure of the definitions a set of roots references.

import { OPENAPI_DEFINITIONS } from './definitions.generated.js';

export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  items?: Schema;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  [extension: `x-kubernetes-${string}`]: unknown;
}

const parsed = new Map<string, Schema>();
let byKind: Map<string, string> | undefined;

export function definition(name: string): Schema | undefined {
  let s = parsed.get(name);
  if (s) return s;
  const text = OPENAPI_DEFINITIONS[name];
  if (text === undefined) return undefined;
  s = JSON.parse(text) as Schema;
  parsed.set(name, s);
  return s;
}

export function definitionNames(): string[] {
  return Object.keys(OPENAPI_DEFINITIONS);
}

export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** The definition that declares a kind, e.g. ('apps', 'v1', 'Deployment'). */
export function definitionForKind(
  group: string,
  version: string,
  kind: string,
): string | undefined {
  if (!byKind) {
    byKind = new Map();
    for (const name of definitionNames()) {
      for (const g of definition(name)?.['x-kubernetes-group-version-kind'] ?? [])
        byKind.set(`${g.group}/${g.version}/${g.kind}`, name);
    }
  }
  return byKind.get(`${group}/${version}/${kind}`);
}

function collectRefs(schema: Schema | boolean | undefined, out: string[]): void {
  if (!schema || typeof schema !== 'object') return;
  if (typeof schema.$ref === 'string') out.push(refName(schema.$ref));
  for (const p of Object.values(schema.properties ?? {})) collectRefs(p, out);
  collectRefs(schema.items, out);
  collectRefs(schema.additionalProperties, out);
}

/** Every definition reachable from the roots, roots included, sorted by name. */
export function closure(roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    const def = definition(name);
    if (!def) continue;
    seen.add(name);
    const refs: string[] = [];
    collectRefs(def, refs);
    queue.push(...refs);
  }
  return [...seen].sort();
}
