export { ClusterRbac, RBAC_KINDS, type RbacKind, userKeys } from './cluster-rbac.js';
export * from './kube-rbac-types.js';
export {
  type AccessScope,
  type Decision,
  NO_ACCESS,
  RbacEvaluator,
  scopeAllows,
} from './rbac-evaluator.js';
export { bindingOf, rulesOf } from './rbac-objects.js';
