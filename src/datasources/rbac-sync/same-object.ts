/**
 * Whether a live object already is what the push-down wants. Compared by meaning, not bytes:
 * the API server may default fields (a LimitRange's defaultRequest) or reformat quantities, and
 * that must not look like drift, while a hand edit to a rule or a subject must.
 */
import type { PolicyRule } from '../../domain/rbac.js';
import { type KubeObject, normalizeRule, parseQuantity } from '../../rbac/index.js';

type Json = Record<string, unknown>;

const rulesKey = (rules: unknown) =>
  JSON.stringify(((rules as PolicyRule[] | null) ?? []).map(normalizeRule));

const subjectsKey = (subjects: unknown) =>
  JSON.stringify(
    ((subjects as { kind: string; name: string; namespace?: string }[] | null) ?? []).map((s) => [
      s.kind,
      s.name,
      s.namespace ?? '',
    ]),
  );

function sameQuantities(want: unknown, have: unknown, exact: boolean): boolean {
  const w = (want ?? {}) as Record<string, string>;
  const h = (have ?? {}) as Record<string, string>;
  if (exact && Object.keys(w).length !== Object.keys(h).length) return false;
  return Object.entries(w).every(([k, v]) => {
    const got = h[k];
    try {
      return got !== undefined && parseQuantity(String(got)) === parseQuantity(v);
    } catch {
      return false;
    }
  });
}

function sameLimits(want: unknown, have: unknown): boolean {
  const w = ((want as Json | undefined)?.limits ?? []) as Json[];
  const h = ((have as Json | undefined)?.limits ?? []) as Json[];
  if (w.length !== h.length) return false;
  return w.every((item, i) => {
    const got = h[i];
    if (!got || got.type !== item.type) return false;
    return ['default', 'defaultRequest'].every(
      (field) => item[field] === undefined || sameQuantities(item[field], got[field], true),
    );
  });
}

export function sameLabels(want: Readonly<Record<string, string>>, have: unknown): boolean {
  const h = (have ?? {}) as Record<string, string>;
  return Object.entries(want).every(([k, v]) => h[k] === v);
}

/** True when `live` has the desired labels and content. */
export function sameObject(desired: KubeObject, live: Json): boolean {
  const meta = (live.metadata ?? {}) as Json;
  if (!sameLabels(desired.metadata.labels, meta.labels)) return false;
  switch (desired.kind) {
    case 'ClusterRole':
      return rulesKey(desired.rules) === rulesKey(live.rules);
    case 'ClusterRoleBinding':
    case 'RoleBinding':
      return subjectsKey(desired.subjects) === subjectsKey(live.subjects);
    case 'ResourceQuota':
      return sameQuantities(
        (desired.spec as Json).hard,
        (live.spec as Json | undefined)?.hard,
        true,
      );
    case 'LimitRange':
      return sameLimits(desired.spec, live.spec);
    default:
      return false;
  }
}

/** A roleRef cannot be changed in place: such a binding must be deleted and created again. */
export function sameRoleRef(desired: KubeObject, live: Json): boolean {
  const want = desired.roleRef as { kind: string; name: string } | undefined;
  const have = live.roleRef as { kind: string; name: string } | undefined;
  return want === undefined || (have?.kind === want.kind && have?.name === want.name);
}
