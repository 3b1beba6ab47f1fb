/**
 * PolicyRule matching exactly as the Kubernetes RBAC authorizer does it
 * (`plugin/pkg/auth/authorizer/rbac/rbac.go`, `RuleAllows`; helpers in
 * `pkg/apis/rbac/v1/evaluation_helpers.go`): `*` matches any verb, group and resource, `*` +
 * `/sub` any resource's subresource, resourceNames compare with the request's name as it is (a
 * request without a name passes only a rule without resourceNames, or one naming `""`), and
 * trailing `*`s in a non-resource URL make it a prefix. Paddock's own checks and the fleet
 * index's evaluator of each cluster's RBAC both use it.
 */
import type { PolicyRule } from '../domain/rbac.js';

/** A request to a resource, as the API server's request-info filter sees it. */
export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: string;
  /** `''` for the core group. */
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
  /** `''` or absent at the cluster scope. */
  readonly namespace?: string;
}

export interface NonResourceRequest {
  readonly kind: 'nonResource';
  readonly verb: string;
  readonly path: string;
}

export type AccessRequest = ResourceRequest | NonResourceRequest;

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && (list.includes('*') || list.includes(value));
}

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** Whether one rule allows the request (`RuleAllows`). */
export function ruleAllows(request: AccessRequest, rule: PolicyRule): boolean {
  if (!has(rule.verbs, request.verb)) return false;
  if (request.kind === 'nonResource') return nonResourceUrlMatches(rule, request.path);
  if (!has(rule.apiGroups, request.apiGroup)) return false;
  if (!resourceMatches(rule, request.resource, request.subresource ?? '')) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(request.name ?? '');
}

/** The first rule that allows the request, if any. */
export function firstAllowingRule(
  request: AccessRequest,
  rules: readonly PolicyRule[],
): PolicyRule | undefined {
  return rules.find((rule) => ruleAllows(request, rule));
}

/** A short human form of a request: `create deployments.apps in ns-a`. */
export function describeRequest(request: AccessRequest): string {
  if (request.kind === 'nonResource') return `${request.verb} ${request.path}`;
  const group = request.apiGroup ? `.${request.apiGroup}` : '';
  const sub = request.subresource ? `/${request.subresource}` : '';
  const name = request.name ? ` ${request.name}` : '';
  const where = request.namespace ? ` in namespace ${request.namespace}` : ' at the cluster scope';
  return `${request.verb} ${request.resource}${sub}${group}${name}${where}`;
}
