// RBAC evaluated like plugin/pkg/auth/authorizer/rbac: cluster role bindings first, then role
// bindings of the request namespace; the first allowing rule wins; bindings whose role is missing
// contribute "RBAC: ..." errors to the deny reason. system:masters is allowed up front, as the
// apiserver's privileged-group authorizer does.

import type { UserInfo } from './user.js';
import { MASTERS } from './user.js';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface Binding {
  name: string;
  namespace: string;
  roleRef: { kind: string; name: string; apiGroup?: string };
  subjects: Subject[];
}

export interface RbacSource {
  clusterRoleBindings(): Binding[];
  roleBindings(namespace: string): Binding[];
  clusterRoleRules(name: string): PolicyRule[] | undefined;
  roleRules(namespace: string, name: string): PolicyRule[] | undefined;
}

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface Decision {
  allowed: boolean;
  reason: string;
  errors: string[];
}

function has(list: string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (
      subresource &&
      r.length === subresource.length + 2 &&
      r.startsWith('*/') &&
      r.endsWith(subresource)
    ) {
      return true;
    }
  }
  return false;
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

/** RuleAllows from the RBAC authorizer. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (a.isResourceRequest) {
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    if (!has(rule.verbs, a.verb) || !has(rule.apiGroups, a.apiGroup)) return false;
    if (!resourceMatches(rule, combined, a.subresource)) return false;
    // ResourceNameMatches compares the request's name as it is: a list has the name "", which a
    // rule naming "" matches.
    const names = rule.resourceNames ?? [];
    return names.length === 0 || names.includes(a.name);
  }
  return has(rule.verbs, a.verb) && nonResourceUrlMatches(rule, a.path);
}

export function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.username === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      if (!ns) return false;
      return user.username === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') {
    return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  }
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

interface Visit {
  source: string;
  rules: PolicyRule[];
}

/** Calls `visit` for the rules of every binding that applies; stops when it returns false. */
export function visitRulesFor(
  src: RbacSource,
  user: UserInfo,
  namespace: string,
  visit: (v: Visit) => boolean,
  onError: (msg: string) => void,
): void {
  for (const b of src.clusterRoleBindings()) {
    const subject = b.subjects.find((s) => appliesTo(user, s, ''));
    if (!subject) continue;
    const rules =
      b.roleRef.kind === 'ClusterRole' ? src.clusterRoleRules(b.roleRef.name) : undefined;
    if (!rules) {
      onError(`clusterrole.rbac.authorization.k8s.io ${JSON.stringify(b.roleRef.name)} not found`);
      continue;
    }
    const source = `ClusterRoleBinding ${JSON.stringify(b.name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, '')}`;
    if (!visit({ source, rules })) return;
  }
  if (!namespace) return;
  for (const b of src.roleBindings(namespace)) {
    const subject = b.subjects.find((s) => appliesTo(user, s, namespace));
    if (!subject) continue;
    let rules: PolicyRule[] | undefined;
    if (b.roleRef.kind === 'ClusterRole') {
      rules = src.clusterRoleRules(b.roleRef.name);
      if (!rules)
        onError(
          `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(b.roleRef.name)} not found`,
        );
    } else {
      rules = src.roleRules(namespace, b.roleRef.name);
      if (!rules)
        onError(`role.rbac.authorization.k8s.io ${JSON.stringify(b.roleRef.name)} not found`);
    }
    if (!rules) continue;
    const source = `RoleBinding ${JSON.stringify(`${b.name}/${namespace}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(subject, namespace)}`;
    if (!visit({ source, rules })) return;
  }
}

function aggregate(errors: string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? (unique[0] ?? '') : `[${unique.join(', ')}]`;
}

/** Authorizes a request: privileged group first, then RBAC. */
export function authorize(src: RbacSource, a: Attributes): Decision {
  if (a.user.groups.includes(MASTERS)) return { allowed: true, reason: '', errors: [] };
  const errors: string[] = [];
  let reason = '';
  let allowed = false;
  visitRulesFor(
    src,
    a.user,
    a.namespace,
    ({ source, rules }) => {
      for (const rule of rules) {
        if (ruleAllows(a, rule)) {
          allowed = true;
          reason = `RBAC: allowed by ${source}`;
          return false;
        }
      }
      return true;
    },
    (e) => errors.push(e),
  );
  if (allowed) return { allowed, reason, errors };
  return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '', errors };
}

/** The sentence of responsewriters.forbiddenMessage. */
export function forbiddenMessage(a: Attributes): string {
  const user = a.user.username;
  if (!a.isResourceRequest)
    return `User ${JSON.stringify(user)} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (a.namespace) {
    return `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} in the namespace ${JSON.stringify(a.namespace)}`;
  }
  return `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} at the cluster scope`;
}
