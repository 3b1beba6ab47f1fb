/**
 * What authorization keeps in the Store. Built-in global roles and templates live in code
 * (`src/rbac`); the store holds custom ones and the few fields of a built-in an administrator
 * may change (a role's `newUserDefault`, a template's `locked`). Exported as
 * `accessCollectionSpecs` so backup/restore can rebuild the indexes.
 */
import type {
  ClusterRoleBinding,
  GlobalRole,
  GlobalRoleBinding,
  Project,
  ProjectRoleBinding,
  RoleTemplate,
} from '../domain/rbac.js';
import type { CollectionSpec } from '../domain/store.js';
import { bindingSubjectKey } from './subject-key.js';

/** Marks a user whose new-user-default global roles were granted once. */
export interface DefaultRolesGrantedRecord {
  readonly userId: string;
  readonly grantedAt: number;
  readonly globalRoleIds: readonly string[];
}

export const globalRolesCollection: CollectionSpec<GlobalRole> = { name: 'global-roles' };

export const roleTemplatesCollection: CollectionSpec<RoleTemplate> = {
  name: 'role-templates',
  indexes: { byParent: { key: (t) => t.inherits } },
};

export const globalRoleBindingsCollection: CollectionSpec<GlobalRoleBinding> = {
  name: 'global-role-bindings',
  indexes: {
    byRole: { key: (b) => b.globalRoleId },
    bySubject: { key: (b) => bindingSubjectKey(b.subject) },
    unique: { key: (b) => `${b.globalRoleId}|${bindingSubjectKey(b.subject)}`, unique: true },
  },
};

export const clusterRoleBindingsCollection: CollectionSpec<ClusterRoleBinding> = {
  name: 'cluster-role-bindings',
  indexes: {
    byCluster: { key: (b) => b.clusterId },
    bySubject: { key: (b) => bindingSubjectKey(b.subject) },
    byTemplate: { key: (b) => b.roleTemplateId },
    unique: {
      key: (b) => `${b.clusterId}|${b.roleTemplateId}|${bindingSubjectKey(b.subject)}`,
      unique: true,
    },
  },
};

export const projectRoleBindingsCollection: CollectionSpec<ProjectRoleBinding> = {
  name: 'project-role-bindings',
  indexes: {
    byProject: { key: (b) => `${b.clusterId}:${b.projectId}` },
    byCluster: { key: (b) => b.clusterId },
    bySubject: { key: (b) => bindingSubjectKey(b.subject) },
    byTemplate: { key: (b) => b.roleTemplateId },
    unique: {
      key: (b) =>
        `${b.clusterId}:${b.projectId}|${b.roleTemplateId}|${bindingSubjectKey(b.subject)}`,
      unique: true,
    },
  },
};

export const projectsCollection: CollectionSpec<Project> = {
  name: 'projects',
  indexes: {
    byCluster: { key: (p) => p.clusterId },
    byName: { key: (p) => `${p.clusterId}/${p.name.toLowerCase()}`, unique: true },
  },
};

export const defaultRolesGrantedCollection: CollectionSpec<DefaultRolesGrantedRecord> = {
  name: 'default-roles-granted',
};

export const accessCollectionSpecs: readonly CollectionSpec<unknown>[] = [
  globalRolesCollection,
  roleTemplatesCollection,
  globalRoleBindingsCollection,
  clusterRoleBindingsCollection,
  projectRoleBindingsCollection,
  projectsCollection,
  defaultRolesGrantedCollection,
] as readonly CollectionSpec<never>[] as readonly CollectionSpec<unknown>[];
