/**
 * Escalation prevention, as the Kubernetes RBAC API does it (`ConfirmNoEscalation` /
 * `validation.Covers`): whoever binds a role must already hold every permission the role
 * grants, at that place. A `*` in a requested rule is only covered by a `*` held.
 */
import type { PolicyRule } from '../domain/rbac.js';

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

function resourceCovered(owner: PolicyRule, resource: string): boolean {
  const held = owner.resources ?? [];
  if (held.includes('*') || held.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash !== -1 && held.includes(`*${resource.slice(slash)}`);
}

function urlCovered(owner: PolicyRule, url: string): boolean {
  return (owner.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))),
  );
}

/** Whether one atomic permission is held by some rule. */
function atomCovered(owners: readonly PolicyRule[], atom: Atom): boolean {
  return owners.some((o) => {
    if (!has(o.verbs, atom.verb)) return false;
    if (atom.url !== undefined) return urlCovered(o, atom.url);
    if (!has(o.apiGroups, atom.group) || !resourceCovered(o, atom.resource)) return false;
    const names = o.resourceNames ?? [];
    return names.length === 0 || (atom.name !== '' && names.includes(atom.name));
  });
}

interface Atom {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly name: string;
  readonly url?: string;
}

function atoms(rule: PolicyRule): Atom[] {
  const out: Atom[] = [];
  for (const verb of rule.verbs) {
    for (const url of rule.nonResourceURLs ?? []) {
      out.push({ verb, group: '', resource: '', name: '', url });
    }
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        const names = rule.resourceNames?.length ? rule.resourceNames : [''];
        for (const name of names) out.push({ verb, group, resource, name });
      }
    }
  }
  return out;
}

/** The requested rules some part of which the owner does not hold. */
export function uncoveredRules(
  owned: readonly PolicyRule[],
  requested: readonly PolicyRule[],
): PolicyRule[] {
  return requested.filter((rule) => !atoms(rule).every((a) => atomCovered(owned, a)));
}
