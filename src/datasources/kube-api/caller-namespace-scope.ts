/**
 * `CallerNamespaceScope` over the RBAC state and the namespaces Paddock's manager account reads:
 * the namespaces of the projects the caller (or one of its groups) is bound to. Namespace lists
 * are cached briefly per cluster; bindings are read fresh, so a removed binding narrows at once.
 */
import type { Identity } from '../../domain/identity.js';
import type { CallerNamespaceScope, ScopedNamespace } from '../../domain/kube-api.js';
import type { AccessStateSource } from '../../domain/rbac.js';
import type { DownstreamNamespace } from '../../domain/rbac-downstream.js';
import { namespaceProject, subjectMatches } from '../../rbac/index.js';

export interface CallerNamespaceScopeOptions {
  readonly access: AccessStateSource;
  /** Every namespace of a cluster with labels and annotations (the manager's read). */
  readonly namespaces: (clusterId: string) => Promise<readonly DownstreamNamespace[]>;
  readonly cacheMs?: number;
  readonly now?: () => number;
}

export function createCallerNamespaceScope(
  options: CallerNamespaceScopeOptions,
): CallerNamespaceScope {
  const cacheMs = options.cacheMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<readonly DownstreamNamespace[]> }>();
  const namespacesOf = (clusterId: string) => {
    const hit = cache.get(clusterId);
    if (hit && now() - hit.at < cacheMs) return hit.value;
    const value = options.namespaces(clusterId);
    cache.set(clusterId, { at: now(), value });
    value.catch(() => cache.delete(clusterId));
    return value;
  };
  return {
    async namespacesOf(identity: Identity, clusterId: string): Promise<ScopedNamespace[]> {
      const state = await options.access.snapshot();
      const subject = { userId: identity.userId, groupPrincipalIds: identity.groupPrincipalIds };
      const projects = new Set(
        state.projectRoleBindings
          .filter((b) => b.clusterId === clusterId && subjectMatches(b.subject, subject))
          .map((b) => b.projectId),
      );
      if (projects.size === 0) return [];
      const out: ScopedNamespace[] = [];
      for (const ns of await namespacesOf(clusterId)) {
        const ref = namespaceProject(ns);
        if (ref?.clusterId === clusterId && projects.has(ref.projectId)) {
          out.push({ name: ns.name, projectId: `${ref.clusterId}:${ref.projectId}` });
        }
      }
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
  };
}
