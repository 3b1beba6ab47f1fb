/**
 * `RuleAllows` of the Kubernetes RBAC authorizer (`plugin/pkg/auth/authorizer/rbac`, helpers in
 * `pkg/apis/rbac/v1/evaluation_helpers.go`), matched to the letter: `*` matches any verb, group
 * or resource (subresources included), `*` then `/<sub>` any resource's subresource <sub>, and resourceNames
 * compare with the request's name as it is, so a request without a name (a list) passes only a
 * rule without resourceNames or one that names `""`.
 */
import type { KubePolicyRule, ResourceAttributes } from './kube-rbac-types.js';

function verbMatches(rule: KubePolicyRule, verb: string): boolean {
  for (const v of rule.verbs) if (v === '*' || v === verb) return true;
  return false;
}

function apiGroupMatches(rule: KubePolicyRule, group: string): boolean {
  for (const g of rule.apiGroups) if (g === '*' || g === group) return true;
  return false;
}

function resourceMatches(rule: KubePolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === '*' || r === combined) return true;
    if (subresource === '') continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) {
      return true;
    }
  }
  return false;
}

function resourceNameMatches(rule: KubePolicyRule, name: string): boolean {
  if (rule.resourceNames.length === 0) return true;
  for (const n of rule.resourceNames) if (n === name) return true;
  return false;
}

/** Whether one rule allows a resource request. */
export function ruleAllows(attributes: ResourceAttributes, rule: KubePolicyRule): boolean {
  const subresource = attributes.subresource ?? '';
  const combined =
    subresource === '' ? attributes.resource : `${attributes.resource}/${subresource}`;
  return (
    verbMatches(rule, attributes.verb) &&
    apiGroupMatches(rule, attributes.apiGroup) &&
    resourceMatches(rule, combined, subresource) &&
    resourceNameMatches(rule, attributes.name ?? '')
  );
}

/** Whether a non-resource request (`get /healthz`) is allowed by one rule. */
export function ruleAllowsUrl(verb: string, path: string, rule: KubePolicyRule): boolean {
  if (!verbMatches(rule, verb)) return false;
  for (const u of rule.nonResourceURLs) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}
