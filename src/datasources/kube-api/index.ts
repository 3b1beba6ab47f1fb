export {
  type CallerNamespaceScopeOptions,
  createCallerNamespaceScope,
} from './caller-namespace-scope.js';
export { createKubeApi, type KubeApiOptions } from './create-kube-api.js';
export {
  DEFAULT_FAN_OUT_CONCURRENCY,
  DEFAULT_FAN_OUT_DEADLINE_MS,
  failureOf,
  fanOut,
} from './fan-out.js';
export { callerHeaders, extraHeaderName } from './impersonation.js';
