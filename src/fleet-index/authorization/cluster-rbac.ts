/**
 * The RBAC objects of one cluster, kept current from its watches, with the bindings indexed by
 * subject so that finding a caller's bindings does not walk every binding of the cluster.
 * `generation` changes with every change, so answers derived from it can be cached until then.
 */
import type { KubeObject } from '../../domain/kube-api.js';
import type { PolicyRule } from '../../domain/rbac.js';
import type { KubeBinding, KubeUser } from './kube-rbac-types.js';
import { bindingOf, rulesOf } from './rbac-objects.js';

export type RbacKind = 'roles' | 'clusterroles' | 'rolebindings' | 'clusterrolebindings';

export const RBAC_KINDS: readonly RbacKind[] = [
  'clusterroles',
  'roles',
  'clusterrolebindings',
  'rolebindings',
];

interface SubjectIndex {
  readonly cluster: Map<string, KubeBinding[]>;
  readonly namespaced: Map<string, KubeBinding[]>;
}

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * The keys a subject is found under. A ServiceAccount subject is keyed by the user name it
 * matches (`system:serviceaccount:<ns>:<name>`, compared as a whole string like
 * `serviceaccount.MatchesUsername`); in a ClusterRoleBinding it needs its own namespace.
 */
function subjectKey(kind: string, name: string, namespace: string): string | undefined {
  switch (kind) {
    case 'User':
      return `u\0${name}`;
    case 'Group':
      return `g\0${name}`;
    case 'ServiceAccount':
      return namespace === '' ? undefined : `u\0system:serviceaccount:${namespace}:${name}`;
    default:
      return undefined;
  }
}

/** The keys a user matches subjects under. */
export function userKeys(user: KubeUser): string[] {
  return [`u\0${user.name}`, ...user.groups.map((g) => `g\0${g}`)];
}

export class ClusterRbac {
  #generation = 0;
  readonly #clusterRoles = new Map<string, readonly PolicyRule[]>();
  readonly #roles = new Map<string, readonly PolicyRule[]>();
  readonly #clusterRoleBindings = new Map<string, KubeBinding>();
  readonly #roleBindings = new Map<string, KubeBinding>();
  #index: SubjectIndex | undefined;

  /** Changes whenever an RBAC object changes. */
  get generation(): number {
    return this.#generation;
  }

  /** Applies one watch event of one RBAC kind. */
  apply(kind: RbacKind, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void {
    const name = object.metadata.name ?? '';
    const key = keyOf(object.metadata.namespace ?? '', name);
    const deleted = type === 'DELETED';
    switch (kind) {
      case 'clusterroles':
        if (deleted) this.#clusterRoles.delete(name);
        else this.#clusterRoles.set(name, rulesOf(object));
        break;
      case 'roles':
        if (deleted) this.#roles.delete(key);
        else this.#roles.set(key, rulesOf(object));
        break;
      case 'clusterrolebindings':
        if (deleted) this.#clusterRoleBindings.delete(name);
        else this.#clusterRoleBindings.set(name, bindingOf(object));
        this.#index = undefined;
        break;
      case 'rolebindings':
        if (deleted) this.#roleBindings.delete(key);
        else this.#roleBindings.set(key, bindingOf(object));
        this.#index = undefined;
        break;
    }
    this.#generation++;
  }

  /**
   * The rules a binding's roleRef resolves to (`GetRoleReferenceRules`), or undefined when the
   * role does not exist or the kind is not Role/ClusterRole.
   */
  rulesFor(binding: KubeBinding): readonly PolicyRule[] | undefined {
    switch (binding.roleRef.kind) {
      case 'ClusterRole':
        return this.#clusterRoles.get(binding.roleRef.name);
      case 'Role':
        // A ClusterRoleBinding looks a Role up in namespace "", where none can exist.
        return binding.namespace === ''
          ? undefined
          : this.#roles.get(keyOf(binding.namespace, binding.roleRef.name));
      default:
        return undefined;
    }
  }

  /** The ClusterRoleBindings and RoleBindings (of every namespace) that apply to `user`. */
  bindingsOf(user: KubeUser): { cluster: KubeBinding[]; namespaced: KubeBinding[] } {
    const index = this.#subjectIndex();
    const cluster = new Set<KubeBinding>();
    const namespaced = new Set<KubeBinding>();
    for (const key of userKeys(user)) {
      for (const b of index.cluster.get(key) ?? []) cluster.add(b);
      for (const b of index.namespaced.get(key) ?? []) namespaced.add(b);
    }
    return { cluster: [...cluster], namespaced: [...namespaced] };
  }

  /** Counts, for status pages and tests. */
  get size(): { roles: number; clusterRoles: number; bindings: number } {
    return {
      roles: this.#roles.size,
      clusterRoles: this.#clusterRoles.size,
      bindings: this.#roleBindings.size + this.#clusterRoleBindings.size,
    };
  }

  #subjectIndex(): SubjectIndex {
    if (this.#index !== undefined) return this.#index;
    const index: SubjectIndex = { cluster: new Map(), namespaced: new Map() };
    const add = (map: Map<string, KubeBinding[]>, binding: KubeBinding) => {
      const seen = new Set<string>();
      for (const s of binding.subjects) {
        // In a RoleBinding a ServiceAccount subject without a namespace means the binding's.
        const key = subjectKey(s.kind, s.name, s.namespace || binding.namespace);
        if (key === undefined || seen.has(key)) continue;
        seen.add(key);
        const list = map.get(key);
        if (list === undefined) map.set(key, [binding]);
        else list.push(binding);
      }
    };
    for (const b of this.#clusterRoleBindings.values()) add(index.cluster, b);
    for (const b of this.#roleBindings.values()) add(index.namespaced, b);
    this.#index = index;
    return index;
  }
}
