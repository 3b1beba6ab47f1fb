// Discovery documents: legacy (/api, /apis, /api/v1, /apis/<g>, /apis/<g>/<v>) and the
// aggregated apidiscovery.k8s.io/v2 form kubectl 1.32 asks for first.

import type { ResourceRegistry } from './registry.js';
import type { ResourceType } from './resources.js';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

function sortedResources(reg: ResourceRegistry, group: string, version: string): ResourceType[] {
  return reg
    .all()
    .filter((t) => t.group === group && t.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(name: string, versions: string[]): unknown {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(reg: ResourceRegistry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: reg.groups().map((g) => groupEntry(g.name, g.versions)),
  };
}

export function apiGroup(reg: ResourceRegistry, group: string): unknown | undefined {
  const g = reg.groups().find((x) => x.name === group);
  if (!g) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(g.name, g.versions) as object) };
}

export function apiResourceList(
  reg: ResourceRegistry,
  group: string,
  version: string,
): unknown | undefined {
  const types = sortedResources(reg, group, version);
  if (types.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const t of types) {
    const entry: Record<string, unknown> = {
      name: t.resource,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames) entry.shortNames = t.shortNames;
    if (t.categories) entry.categories = t.categories;
    resources.push(entry);
    for (const s of t.subresources ?? []) {
      const sub: Record<string, unknown> = {
        name: `${t.resource}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
      };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      sub.kind = s.kind;
      sub.verbs = s.verbs;
      resources.push(sub);
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function discoveryResource(t: ResourceType): unknown {
  const entry: Record<string, unknown> = {
    resource: t.resource,
    responseKind: { group: '', version: '', kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: t.verbs,
  };
  if (t.shortNames) entry.shortNames = t.shortNames;
  if (t.categories) entry.categories = t.categories;
  if (t.subresources && t.subresources.length > 0) {
    entry.subresources = t.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? '', version: s.version ?? '', kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return entry;
}

function discoveryGroup(reg: ResourceRegistry, group: string, versions: string[]): unknown {
  const metadata: Record<string, unknown> = group
    ? { name: group, creationTimestamp: null }
    : { creationTimestamp: null };
  return {
    metadata,
    versions: versions.map((v) => ({
      version: v,
      resources: sortedResources(reg, group, v).map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

/** The aggregated document for /api (core only) or /apis (all named groups). */
export function aggregatedDiscovery(
  reg: ResourceRegistry,
  legacy: boolean,
  apiVersion: 'v2' | 'v2beta1',
): unknown {
  const items = legacy
    ? [discoveryGroup(reg, '', ['v1'])]
    : reg.groups().map((g) => discoveryGroup(reg, g.name, g.versions));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${apiVersion}`,
    metadata: {},
    items,
  };
}
