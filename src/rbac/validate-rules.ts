/**
 * Rule validation for custom global roles and role templates: the checks of the Kubernetes
 * API server's `ValidatePolicyRule`, plus what makes a rule useless in Paddock (a non-resource
 * URL in a project template, whose RoleBindings cannot grant it).
 */
import type { PolicyRule, RoleTemplateContext } from '../domain/rbac.js';
import { PaddockError } from '../errors/index.js';

const MAX_RULES = 200;
const MAX_ENTRIES = 100;
const TOKEN = /^[^\s]{1,253}$/;

/** Problems in a rule list, as `rules[i].field: message` strings; empty when it is valid. */
export function ruleProblems(
  rules: readonly PolicyRule[],
  context: RoleTemplateContext | 'global',
): string[] {
  const problems: string[] = [];
  if (rules.length > MAX_RULES) problems.push(`rules: at most ${MAX_RULES} rules`);
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    const lists: [keyof PolicyRule, readonly string[] | undefined][] = [
      ['verbs', rule.verbs],
      ['apiGroups', rule.apiGroups],
      ['resources', rule.resources],
      ['resourceNames', rule.resourceNames],
      ['nonResourceURLs', rule.nonResourceURLs],
    ];
    for (const [field, list] of lists) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        problems.push(`${at}.${field}: must be a list of strings`);
        continue;
      }
      if (list.length > MAX_ENTRIES) problems.push(`${at}.${field}: at most ${MAX_ENTRIES}`);
      for (const value of list) {
        // The core API group is the empty string, so only apiGroups may hold ''.
        if (typeof value !== 'string' || (value === '' && field === 'apiGroups')) continue;
        if (!TOKEN.test(value))
          problems.push(`${at}.${field}: invalid value ${JSON.stringify(value)}`);
      }
    }
    if (!rule.verbs || rule.verbs.length === 0) {
      problems.push(`${at}.verbs: verbs must contain at least one value`);
    }
    const nonResource = rule.nonResourceURLs ?? [];
    if (nonResource.length > 0) {
      if (context === 'project') {
        problems.push(
          `${at}.nonResourceURLs: project role templates cannot grant non-resource URLs`,
        );
      }
      if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0) {
        problems.push(
          `${at}.nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs`,
        );
      }
      for (const url of nonResource) {
        if (!url.startsWith('/') && url !== '*') {
          problems.push(`${at}.nonResourceURLs: ${JSON.stringify(url)} must start with /`);
        }
        const star = url.indexOf('*');
        if (star !== -1 && star !== url.length - 1) {
          problems.push(`${at}.nonResourceURLs: ${JSON.stringify(url)} may only end with *`);
        }
      }
      return;
    }
    if (!rule.apiGroups || rule.apiGroups.length === 0) {
      problems.push(`${at}.apiGroups: resource rules must supply at least one api group`);
    }
    if (!rule.resources || rule.resources.length === 0) {
      problems.push(`${at}.resources: resource rules must supply at least one resource`);
    }
  });
  return problems;
}

/** Throws VALIDATION_FAILED listing every problem of the rules. */
export function assertValidRules(
  rules: readonly PolicyRule[],
  context: RoleTemplateContext | 'global',
): void {
  const problems = ruleProblems(rules, context);
  if (problems.length > 0) {
    throw new PaddockError('VALIDATION_FAILED', `invalid rules: ${problems.join('; ')}`, {
      reason: 'invalid_rules',
      details: { problems },
    });
  }
}

/** A copy with only the fields Kubernetes knows and no empty lists, in a stable form. */
export function normalizeRule(rule: PolicyRule): PolicyRule {
  const out: {
    verbs: string[];
    apiGroups?: string[];
    resources?: string[];
    resourceNames?: string[];
    nonResourceURLs?: string[];
  } = { verbs: [...rule.verbs] };
  if (rule.apiGroups && rule.apiGroups.length > 0) out.apiGroups = [...rule.apiGroups];
  if (rule.resources && rule.resources.length > 0) out.resources = [...rule.resources];
  if (rule.resourceNames && rule.resourceNames.length > 0)
    out.resourceNames = [...rule.resourceNames];
  if (rule.nonResourceURLs && rule.nonResourceURLs.length > 0) {
    out.nonResourceURLs = [...rule.nonResourceURLs];
  }
  return out;
}
