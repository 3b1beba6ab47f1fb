/**
 * The push-down's target for one cluster, computed purely from the access state and the
 * cluster's namespaces: one ClusterRole per template in use, a ClusterRoleBinding per cluster
 * binding (and per template a global role inherits), a RoleBinding per project binding in every
 * namespace of the project, quota objects, and the labels namespaces should carry.
 */

import type { AccessState, BindingSubject, PolicyRule, Project } from '../domain/rbac.js';
import type { DownstreamNamespace } from '../domain/rbac-downstream.js';
import { EffectiveBindings } from './effective-bindings.js';
import { POD_SECURITY_LABEL_KEYS, podSecurityLabels } from './pod-security.js';
import {
  namespaceProject,
  OWNED_LABEL,
  PROJECT_ID_KEY,
  projectAnnotationValue,
  projectLabelValue,
} from './project-label.js';
import { allocateNamespaceQuotas } from './project-quota.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const TEMPLATE_LABEL = 'paddock.io/role-template';
export const BINDING_LABEL = 'paddock.io/binding-id';
export const QUOTA_NAME = 'paddock-project-quota';
export const LIMIT_RANGE_NAME = 'paddock-container-defaults';
/** Which Pod Security labels of a namespace Paddock set (so it removes only those). */
export const POD_SECURITY_OWNED_ANNOTATION = 'paddock.io/pod-security-labels';

export interface KubeMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: KubeMeta;
  readonly [field: string]: unknown;
}

/** Label and annotation changes for one namespace; `null` removes a key. */
export interface NamespacePatch {
  readonly name: string;
  readonly labels: Readonly<Record<string, string | null>>;
  readonly annotations: Readonly<Record<string, string | null>>;
}

export interface DesiredClusterState {
  readonly clusterId: string;
  /** Paddock-owned objects by kind, each list sorted by namespace and name. */
  readonly objects: Readonly<Record<OwnedKind, readonly KubeObject[]>>;
  readonly namespacePatches: readonly NamespacePatch[];
  /** Things the desired state cannot honour (a namespace over its project's quota). */
  readonly problems: readonly string[];
}

export type OwnedKind =
  | 'ClusterRole'
  | 'ClusterRoleBinding'
  | 'RoleBinding'
  | 'ResourceQuota'
  | 'LimitRange';

export const OWNED_KINDS: readonly OwnedKind[] = [
  'ClusterRole',
  'ClusterRoleBinding',
  'RoleBinding',
  'ResourceQuota',
  'LimitRange',
];

export function clusterRoleName(templateId: string): string {
  return `paddock-rt-${templateId}`;
}

export function downstreamSubject(subject: BindingSubject) {
  return subject.kind === 'user'
    ? { kind: 'User', apiGroup: RBAC_GROUP, name: subject.userId }
    : { kind: 'Group', apiGroup: RBAC_GROUP, name: subject.principalId };
}

const owned = (extra: Record<string, string> = {}) => ({ [OWNED_LABEL]: 'true', ...extra });

function clusterRole(templateId: string, rules: readonly PolicyRule[]): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRole',
    metadata: {
      name: clusterRoleName(templateId),
      labels: owned({ [TEMPLATE_LABEL]: templateId }),
    },
    rules,
  };
}

function binding(
  kind: 'ClusterRoleBinding' | 'RoleBinding',
  name: string,
  namespace: string | undefined,
  templateId: string,
  subject: BindingSubject,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind,
    metadata: {
      name,
      ...(namespace === undefined ? {} : { namespace }),
      labels: owned({ [TEMPLATE_LABEL]: templateId, ...labels }),
    },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: clusterRoleName(templateId) },
    subjects: [downstreamSubject(subject)],
  };
}

function sortObjects(list: KubeObject[]): KubeObject[] {
  return list.sort((a, b) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    ),
  );
}

/** The desired Paddock-owned objects and namespace labels of one cluster. */
export function desiredClusterState(
  clusterId: string,
  state: AccessState,
  namespaces: readonly DownstreamNamespace[],
): DesiredClusterState {
  const bindings = new EffectiveBindings(state);
  const templatesInUse = new Set<string>();
  const known = new Set(state.roleTemplates.map((t) => t.id));
  const problems: string[] = [];
  const crbs: KubeObject[] = [];
  const rbs: KubeObject[] = [];
  const quotas: KubeObject[] = [];
  const limits: KubeObject[] = [];
  const patches: NamespacePatch[] = [];

  for (const set of bindings.clusterRuleSets(clusterId)) {
    const source = set.source;
    if (source.kind !== 'clusterBinding' && source.kind !== 'inheritedClusterRole') continue;
    if (!known.has(source.roleTemplateId)) {
      problems.push(
        `binding ${source.bindingId} names the missing template ${source.roleTemplateId}`,
      );
      continue;
    }
    templatesInUse.add(source.roleTemplateId);
    const name =
      source.kind === 'clusterBinding'
        ? `paddock-crtb-${source.bindingId}`
        : `paddock-grb-${source.bindingId}-${source.roleTemplateId}`;
    crbs.push(
      binding('ClusterRoleBinding', name, undefined, source.roleTemplateId, source.subject, {
        [BINDING_LABEL]: source.bindingId,
      }),
    );
  }

  const projects = new Map<string, Project>(
    state.projects.filter((p) => p.clusterId === clusterId).map((p) => [p.id, p]),
  );
  const members = new Map<string, string[]>();
  for (const ns of namespaces) {
    const ref = namespaceProject(ns);
    const project = ref?.clusterId === clusterId ? projects.get(ref.projectId) : undefined;
    if (project) members.set(project.id, [...(members.get(project.id) ?? []), ns.name]);
    const patch = namespacePatch(ns, project);
    if (patch) patches.push(patch);
  }

  for (const [projectId, names] of members) {
    const project = projects.get(projectId)!;
    const label = {
      [PROJECT_ID_KEY]: projectLabelValue({ clusterId: project.clusterId, projectId: project.id }),
    };
    for (const b of bindings.projectBindings(clusterId, projectId)) {
      if (!known.has(b.roleTemplateId)) {
        problems.push(`binding ${b.id} names the missing template ${b.roleTemplateId}`);
        continue;
      }
      templatesInUse.add(b.roleTemplateId);
      for (const ns of names) {
        rbs.push(
          binding('RoleBinding', `paddock-prtb-${b.id}`, ns, b.roleTemplateId, b.subject, {
            [BINDING_LABEL]: b.id,
            ...label,
          }),
        );
      }
    }
    for (const q of allocateNamespaceQuotas(project, names)) {
      if (q.exceeded) problems.push(q.exceeded);
      quotas.push({
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: QUOTA_NAME, namespace: q.namespace, labels: owned(label) },
        spec: { hard: q.hard },
      });
    }
    const defaults = project.containerDefaults;
    const hasDefaults =
      defaults &&
      (Object.keys(defaults.limits ?? {}).length > 0 ||
        Object.keys(defaults.requests ?? {}).length > 0);
    if (hasDefaults) {
      const limit: Record<string, unknown> = { type: 'Container' };
      if (defaults.limits && Object.keys(defaults.limits).length > 0)
        limit.default = defaults.limits;
      if (defaults.requests && Object.keys(defaults.requests).length > 0) {
        limit.defaultRequest = defaults.requests;
      }
      for (const ns of names) {
        limits.push({
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: { name: LIMIT_RANGE_NAME, namespace: ns, labels: owned(label) },
          spec: { limits: [limit] },
        });
      }
    }
  }

  const roles = [...templatesInUse].map((id) => clusterRole(id, bindings.templateRules(id)));
  return {
    clusterId,
    objects: {
      ClusterRole: sortObjects(roles),
      ClusterRoleBinding: sortObjects(crbs),
      RoleBinding: sortObjects(rbs),
      ResourceQuota: sortObjects(quotas),
      LimitRange: sortObjects(limits),
    },
    namespacePatches: patches,
    problems,
  };
}

/**
 * The label/annotation changes that make a namespace say what its project says: the project
 * label beside the annotation, and exactly the project's Pod Security labels among those Paddock
 * set before (labels someone else set stay untouched).
 */
function namespacePatch(
  ns: DownstreamNamespace,
  project: Project | undefined,
): NamespacePatch | undefined {
  const labels: Record<string, string | null> = {};
  const annotations: Record<string, string | null> = {};
  if (project) {
    const value = projectLabelValue({ clusterId: project.clusterId, projectId: project.id });
    if (ns.labels[PROJECT_ID_KEY] !== value) labels[PROJECT_ID_KEY] = value;
    const annotation = projectAnnotationValue({
      clusterId: project.clusterId,
      projectId: project.id,
    });
    if (ns.annotations[PROJECT_ID_KEY] !== annotation) annotations[PROJECT_ID_KEY] = annotation;
  }
  const wanted = podSecurityLabels(project?.podSecurity);
  const ownedBefore = (ns.annotations[POD_SECURITY_OWNED_ANNOTATION] ?? '')
    .split(',')
    .filter((k) => POD_SECURITY_LABEL_KEYS.includes(k));
  for (const key of ownedBefore) {
    if (!(key in wanted) && ns.labels[key] !== undefined) labels[key] = null;
  }
  for (const [key, value] of Object.entries(wanted)) {
    if (ns.labels[key] !== value) labels[key] = value;
  }
  const ownedNow = Object.keys(wanted).sort().join(',');
  if ((ns.annotations[POD_SECURITY_OWNED_ANNOTATION] ?? '') !== ownedNow) {
    annotations[POD_SECURITY_OWNED_ANNOTATION] = ownedNow === '' ? null : ownedNow;
  }
  if (ownedNow === '' && ns.annotations[POD_SECURITY_OWNED_ANNOTATION] === undefined) {
    delete annotations[POD_SECURITY_OWNED_ANNOTATION];
  }
  if (Object.keys(labels).length === 0 && Object.keys(annotations).length === 0) return undefined;
  return { name: ns.name, labels, annotations };
}
