// The set of resource types one cluster serves: the built-in catalog plus CRD-defined types.

import { BUILTIN_RESOURCES, GROUP_ORDER, type ResourceType, typeKey } from './resources.js';

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILTIN_RESOURCES];
  private generation = 0;

  /** Changes whenever types are added or removed (for discovery ETags). */
  get version(): number {
    return this.generation;
  }

  all(): ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find(
      (t) => t.group === group && t.version === version && t.resource === resource,
    );
  }

  byKey(key: string): ResourceType | undefined {
    return this.types.find((t) => typeKey(t.group, t.resource) === key);
  }

  byKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.types.some((t) => t.group === group && t.version === version);
  }

  add(t: ResourceType): void {
    const i = this.types.findIndex(
      (x) => x.group === t.group && x.version === t.version && x.resource === t.resource,
    );
    if (i >= 0) this.types.splice(i, 1, t);
    else this.types.push(t);
    this.generation++;
  }

  remove(group: string, resource: string): void {
    const i = this.types.findIndex((t) => t.group === group && t.resource === resource);
    if (i >= 0) {
      this.types.splice(i, 1);
      this.generation++;
    }
  }

  /** Groups (excluding core) in discovery order, each with its versions. */
  groups(): { name: string; versions: string[] }[] {
    const map = new Map<string, Set<string>>();
    for (const t of this.types) {
      if (!t.group) continue;
      let s = map.get(t.group);
      if (!s) {
        s = new Set();
        map.set(t.group, s);
      }
      s.add(t.version);
    }
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g);
      return i < 0 ? GROUP_ORDER.length : i;
    };
    return [...map.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersions) }));
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa = 0, ma = 0, na = 0] = parse(a);
  const [sb = 0, mb = 0, nb = 0] = parse(b);
  return sb - sa || mb - ma || nb - na;
}
