export { AccessAuthorizer } from './access-authorizer.js';
export { type AccessRuntime, systemAccessRuntime } from './access-runtime.js';
export { AccessService, type AccessServiceDeps } from './access-service.js';
export { StoreAccessState } from './access-state.js';
export { BindingStore } from './binding-store.js';
export { callerCan, subjectOf } from './caller-policy.js';
export { CLUSTER_OWNER_TEMPLATE, StoreClusterOwnership } from './cluster-ownership.js';
export {
  accessCollectionSpecs,
  clusterRoleBindingsCollection,
  type DefaultRolesGrantedRecord,
  defaultRolesGrantedCollection,
  globalRoleBindingsCollection,
  globalRolesCollection,
  projectRoleBindingsCollection,
  projectsCollection,
  roleTemplatesCollection,
} from './collections.js';
export {
  type AccessServices,
  type AccessServicesOptions,
  createAccessServices,
} from './create-access-services.js';
export { explainFor, type UserGroupsLookup } from './explain.js';
export { ProjectStore, validateProjectInput } from './project-store.js';
export { RoleCatalog } from './role-catalog.js';
export { bindingSubjectKey } from './subject-key.js';
export { AccessUserRights } from './user-rights.js';
