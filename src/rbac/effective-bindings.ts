/**
 * Which bindings of the access state apply to a subject, in the three places rules can come
 * from: global roles (everywhere), cluster-context templates on a cluster (bound directly or
 * inherited from a global role such as admin), project-context templates on a project.
 */
import type {
  AccessState,
  AccessSubject,
  BindingSubject,
  ClusterRoleBinding,
  GlobalRole,
  GlobalRoleBinding,
  PolicyRule,
  ProjectRoleBinding,
} from '../domain/rbac.js';
import { flattenRules, templateMap } from './flatten-templates.js';

export function subjectMatches(binding: BindingSubject, subject: AccessSubject): boolean {
  return binding.kind === 'user'
    ? binding.userId === subject.userId
    : subject.groupPrincipalIds.includes(binding.principalId);
}

/** Where a set of rules came from: what explainAccess and denial messages name. */
export type GrantSource =
  | {
      readonly kind: 'globalRole';
      readonly bindingId: string;
      readonly globalRoleId: string;
      readonly subject: BindingSubject;
    }
  | {
      readonly kind: 'inheritedClusterRole';
      readonly bindingId: string;
      readonly globalRoleId: string;
      readonly roleTemplateId: string;
      readonly clusterId: string;
      readonly subject: BindingSubject;
    }
  | {
      readonly kind: 'clusterBinding';
      readonly bindingId: string;
      readonly roleTemplateId: string;
      readonly clusterId: string;
      readonly subject: BindingSubject;
    }
  | {
      readonly kind: 'projectBinding';
      readonly bindingId: string;
      readonly roleTemplateId: string;
      readonly clusterId: string;
      readonly projectId: string;
      readonly subject: BindingSubject;
    };

export interface RuleSet {
  readonly source: GrantSource;
  readonly rules: readonly PolicyRule[];
}

/** A rule-set lookup over one access state, with template flattening cached. */
export class EffectiveBindings {
  readonly #state: AccessState;
  readonly #roles: ReadonlyMap<string, GlobalRole>;
  readonly #flat = new Map<string, PolicyRule[]>();
  readonly #templates;

  constructor(state: AccessState) {
    this.#state = state;
    this.#roles = new Map(state.globalRoles.map((r) => [r.id, r]));
    this.#templates = templateMap(state.roleTemplates);
  }

  get state(): AccessState {
    return this.#state;
  }

  /** The flattened rules of a template (cached). */
  templateRules(id: string): PolicyRule[] {
    let rules = this.#flat.get(id);
    if (rules === undefined) {
      rules = flattenRules(id, this.#templates);
      this.#flat.set(id, rules);
    }
    return rules;
  }

  globalRole(id: string): GlobalRole | undefined {
    return this.#roles.get(id);
  }

  globalRoleBindingsOf(subject: AccessSubject): GlobalRoleBinding[] {
    return this.#state.globalRoleBindings.filter((b) => subjectMatches(b.subject, subject));
  }

  /** Rules from the subject's global roles. */
  globalRuleSets(subject: AccessSubject): RuleSet[] {
    return this.globalRoleBindingsOf(subject).flatMap((b) => {
      const role = this.#roles.get(b.globalRoleId);
      if (role === undefined) return [];
      const source: GrantSource = {
        kind: 'globalRole',
        bindingId: b.id,
        globalRoleId: role.id,
        subject: b.subject,
      };
      return [{ source, rules: role.rules }];
    });
  }

  /** Cluster-context rules of a subject (or, with `subject` undefined, of everyone). */
  clusterRuleSets(clusterId: string, subject?: AccessSubject): RuleSet[] {
    const sets: RuleSet[] = [];
    for (const b of this.#state.globalRoleBindings) {
      if (subject && !subjectMatches(b.subject, subject)) continue;
      for (const templateId of this.#roles.get(b.globalRoleId)?.inheritedClusterRoles ?? []) {
        sets.push({
          source: {
            kind: 'inheritedClusterRole',
            bindingId: b.id,
            globalRoleId: b.globalRoleId,
            roleTemplateId: templateId,
            clusterId,
            subject: b.subject,
          },
          rules: this.templateRules(templateId),
        });
      }
    }
    for (const b of this.clusterBindings(clusterId)) {
      if (subject && !subjectMatches(b.subject, subject)) continue;
      sets.push({
        source: {
          kind: 'clusterBinding',
          bindingId: b.id,
          roleTemplateId: b.roleTemplateId,
          clusterId,
          subject: b.subject,
        },
        rules: this.templateRules(b.roleTemplateId),
      });
    }
    return sets;
  }

  /** Project-context rules of a subject (or of everyone) on one project. */
  projectRuleSets(clusterId: string, projectId: string, subject?: AccessSubject): RuleSet[] {
    return this.projectBindings(clusterId, projectId)
      .filter((b) => !subject || subjectMatches(b.subject, subject))
      .map((b) => ({
        source: {
          kind: 'projectBinding',
          bindingId: b.id,
          roleTemplateId: b.roleTemplateId,
          clusterId,
          projectId,
          subject: b.subject,
        },
        rules: this.templateRules(b.roleTemplateId),
      }));
  }

  clusterBindings(clusterId: string): ClusterRoleBinding[] {
    return this.#state.clusterRoleBindings.filter((b) => b.clusterId === clusterId);
  }

  projectBindings(clusterId: string, projectId: string): ProjectRoleBinding[] {
    return this.#state.projectRoleBindings.filter(
      (b) => b.clusterId === clusterId && b.projectId === projectId,
    );
  }
}
