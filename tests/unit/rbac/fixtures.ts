import type {
  AccessState,
  BindingSubject,
  ClusterRoleBinding,
  GlobalRoleBinding,
  Project,
  ProjectRoleBinding,
} from '../../../src/domain/rbac.js';
import { BUILTIN_GLOBAL_ROLES, BUILTIN_ROLE_TEMPLATES } from '../../../src/rbac/index.js';

export const user = (userId: string): BindingSubject => ({ kind: 'user', userId });
export const group = (principalId: string): BindingSubject => ({ kind: 'group', principalId });

export function project(id: string, clusterId = 'c1', extra: Partial<Project> = {}): Project {
  return { id, clusterId, name: id, description: '', createdAt: 0, updatedAt: 0, ...extra };
}

export function crb(
  id: string,
  clusterId: string,
  roleTemplateId: string,
  subject: BindingSubject,
): ClusterRoleBinding {
  return { id, clusterId, roleTemplateId, subject, createdAt: 0 };
}

export function prb(
  id: string,
  clusterId: string,
  projectId: string,
  roleTemplateId: string,
  subject: BindingSubject,
): ProjectRoleBinding {
  return { id, clusterId, projectId, roleTemplateId, subject, createdAt: 0 };
}

export function grb(id: string, globalRoleId: string, subject: BindingSubject): GlobalRoleBinding {
  return { id, globalRoleId, subject, createdAt: 0 };
}

export function stateWith(parts: Partial<AccessState>): AccessState {
  return {
    globalRoles: BUILTIN_GLOBAL_ROLES,
    roleTemplates: BUILTIN_ROLE_TEMPLATES,
    globalRoleBindings: [],
    clusterRoleBindings: [],
    projectRoleBindings: [],
    projects: [],
    ...parts,
  };
}
