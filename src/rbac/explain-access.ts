/**
 * explainAccess: for one subject and request on one cluster, which Paddock bindings grant it
 * (the desired state) and which downstream RBAC objects grant it (what the API server will
 * decide, evaluated exactly as its RBAC authorizer does), or why nothing does. The verdict is
 * the downstream one, because that is what kubectl gets.
 */

import type { AccessState, AccessSubject, PolicyRule } from '../domain/rbac.js';
import type {
  DownstreamBinding,
  DownstreamRbac,
  DownstreamSubject,
  RbacSyncStatus,
} from '../domain/rbac-downstream.js';
import { BINDING_LABEL } from './desired-objects.js';
import { EffectiveBindings, type GrantSource, type RuleSet } from './effective-bindings.js';
import { type AccessRequest, describeRequest, firstAllowingRule } from './policy-rule.js';
import { namespaceProject, OWNED_LABEL } from './project-label.js';

export const ALL_AUTHENTICATED = 'system:authenticated';
export const MASTERS = 'system:masters';

export interface PaddockGrant {
  readonly source: GrantSource;
  readonly rule: PolicyRule;
}

export interface DownstreamGrant {
  readonly binding: { readonly kind: string; readonly name: string; readonly namespace: string };
  readonly role: { readonly kind: string; readonly name: string };
  readonly subject: DownstreamSubject;
  readonly rule: PolicyRule;
  /** The object carries `paddock.io/owned=true`. */
  readonly paddockOwned: boolean;
  /** The Paddock binding it was pushed down from, when owned. */
  readonly paddockBindingId?: string;
}

export interface AccessExplanation {
  /** What the downstream API server decides. */
  readonly allowed: boolean;
  /** What Paddock's bindings say it should decide. */
  readonly allowedByPaddock: boolean;
  readonly request: string;
  /** The project of the request's namespace, if any. */
  readonly projectId?: string;
  readonly paddockGrants: readonly PaddockGrant[];
  readonly downstreamGrants: readonly DownstreamGrant[];
  /** Why nothing grants it, or where Paddock and the cluster disagree. */
  readonly notes: readonly string[];
}

export interface ExplainInput {
  readonly clusterId: string;
  readonly subject: AccessSubject;
  readonly request: AccessRequest;
  readonly state: AccessState;
  readonly downstream: DownstreamRbac;
  readonly syncStatus?: RbacSyncStatus;
}

/** The user the proxy impersonates for a subject. */
export function impersonatedGroups(subject: AccessSubject): string[] {
  return [...subject.groupPrincipalIds, ALL_AUTHENTICATED];
}

function appliesTo(
  subject: AccessSubject,
  groups: readonly string[],
  s: DownstreamSubject,
  bindingNamespace: string,
): boolean {
  switch (s.kind) {
    case 'User':
      return s.name === subject.userId;
    case 'Group':
      return groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return !!ns && subject.userId === `system:serviceaccount:${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

/** Every downstream binding grant for the request, in the authorizer's order. */
export function downstreamGrants(
  downstream: DownstreamRbac,
  subject: AccessSubject,
  request: AccessRequest,
): { grants: DownstreamGrant[]; errors: string[] } {
  const groups = impersonatedGroups(subject);
  const namespace = request.kind === 'resource' ? (request.namespace ?? '') : '';
  const roles = new Map(downstream.roles.map((r) => [`${r.kind}/${r.namespace}/${r.name}`, r]));
  const grants: DownstreamGrant[] = [];
  const errors: string[] = [];
  const visit = (b: DownstreamBinding) => {
    const subjectHit = b.subjects.find((s) => appliesTo(subject, groups, s, b.namespace));
    if (!subjectHit) return;
    const roleNs = b.roleRef.kind === 'ClusterRole' ? '' : b.namespace;
    const role =
      b.roleRef.kind === 'ClusterRole' || (b.roleRef.kind === 'Role' && b.kind === 'RoleBinding')
        ? roles.get(`${b.roleRef.kind}/${roleNs}/${b.roleRef.name}`)
        : undefined;
    if (!role) {
      errors.push(
        `${b.roleRef.kind.toLowerCase()} ${b.roleRef.name} of ${b.kind} ${b.name} not found`,
      );
      return;
    }
    const rule = firstAllowingRule(request, role.rules);
    if (!rule) return;
    const owned = b.labels[OWNED_LABEL] === 'true';
    const bindingId = b.labels[BINDING_LABEL];
    grants.push({
      binding: { kind: b.kind, name: b.name, namespace: b.namespace },
      role: { kind: role.kind, name: role.name },
      subject: subjectHit,
      rule,
      paddockOwned: owned,
      ...(owned && bindingId ? { paddockBindingId: bindingId } : {}),
    });
  };
  for (const b of downstream.bindings) if (b.kind === 'ClusterRoleBinding') visit(b);
  if (namespace) {
    for (const b of downstream.bindings) {
      if (b.kind === 'RoleBinding' && b.namespace === namespace) visit(b);
    }
  }
  return { grants, errors };
}

function grantsOf(sets: readonly RuleSet[], request: AccessRequest): PaddockGrant[] {
  return sets.flatMap((set) => {
    const rule = firstAllowingRule(request, set.rules);
    return rule ? [{ source: set.source, rule }] : [];
  });
}

function describeSource(source: GrantSource): string {
  switch (source.kind) {
    case 'clusterBinding':
      return `cluster binding ${source.bindingId} (${source.roleTemplateId})`;
    case 'projectBinding':
      return `project binding ${source.bindingId} (${source.roleTemplateId} on ${source.projectId})`;
    case 'inheritedClusterRole':
      return `global role ${source.globalRoleId} (binding ${source.bindingId}, holds ${source.roleTemplateId})`;
    case 'globalRole':
      return `global role ${source.globalRoleId}`;
  }
}

export function explainAccess(input: ExplainInput): AccessExplanation {
  const { subject, request, clusterId, state, downstream } = input;
  const bindings = new EffectiveBindings(state);
  const namespace = request.kind === 'resource' ? (request.namespace ?? '') : '';
  const ns = namespace ? downstream.namespaces.find((n) => n.name === namespace) : undefined;
  const ref = ns ? namespaceProject(ns) : undefined;
  const project =
    ref?.clusterId === clusterId
      ? state.projects.find((p) => p.clusterId === clusterId && p.id === ref.projectId)
      : undefined;

  const clusterSets = bindings.clusterRuleSets(clusterId, subject);
  const projectSets =
    project && namespace ? bindings.projectRuleSets(clusterId, project.id, subject) : [];
  const paddockGrants = grantsOf([...clusterSets, ...projectSets], request);

  const groups = impersonatedGroups(subject);
  const masters = groups.includes(MASTERS);
  const { grants, errors } = downstreamGrants(downstream, subject, request);
  const allowed = masters || grants.length > 0;
  const notes: string[] = [];
  const what = describeRequest(request);

  if (masters) notes.push(`${MASTERS} may do anything: the API server allows it before RBAC`);
  if (!allowed) {
    const held = [...clusterSets, ...projectSets].map((s) => describeSource(s.source));
    notes.push(
      held.length === 0
        ? `${subject.userId} holds no binding on cluster ${clusterId}${project ? ` or project ${project.id}` : ''}`
        : `none of ${held.join(', ')} has a rule that allows ${what}`,
    );
    if (namespace && !ns)
      notes.push(`namespace ${namespace} does not exist in cluster ${clusterId}`);
    else if (namespace && !project) {
      notes.push(
        `namespace ${namespace} belongs to no project, so no project binding applies there`,
      );
    } else if (!namespace && request.kind === 'resource') {
      notes.push('at the cluster scope only cluster bindings apply, not project bindings');
    }
    for (const e of errors) notes.push(`downstream: ${e}`);
  }
  const paddockIds = new Set(paddockGrants.map((g) => g.source.bindingId));
  for (const g of grants) {
    if (!g.paddockOwned) {
      notes.push(
        `granted outside Paddock by ${g.binding.kind} ${g.binding.name} (${g.role.kind} ${g.role.name})`,
      );
    } else if (g.paddockBindingId && !paddockIds.has(g.paddockBindingId)) {
      notes.push(
        `${g.binding.kind} ${g.binding.name} grants it but Paddock no longer does: the push-down has not removed it yet`,
      );
    }
  }
  if (paddockGrants.length > 0 && !grants.some((g) => g.paddockOwned)) {
    notes.push(
      `Paddock grants it through ${paddockGrants.map((g) => describeSource(g.source)).join(', ')} ` +
        'but the cluster does not have the pushed-down objects yet' +
        (input.syncStatus?.errors.length ? `: ${input.syncStatus.errors.join('; ')}` : ''),
    );
  }
  return {
    allowed,
    allowedByPaddock: paddockGrants.length > 0,
    request: what,
    ...(project ? { projectId: project.id } : {}),
    paddockGrants,
    downstreamGrants: grants,
    notes,
  };
}
