export type { OutgoingHeaders } from './header-policy.js';
export {
  assertOutgoingHeaders,
  extraHeaderName,
  impersonationHeaders,
  isIdentityHeader,
  scrubRequestHeaders,
} from './header-policy.js';
export type { ImportManifestRoute, ImportManifestRouteOptions } from './import-manifest-route.js';
export { createImportManifestRoute, IMPORT_MANIFEST_PREFIX } from './import-manifest-route.js';
export type { K8sProxy, K8sProxyOptions, K8sProxyRoute, ProxyRequestContext } from './k8s-proxy.js';
export { createK8sProxy } from './k8s-proxy.js';
export { kubeStatus } from './kube-status.js';
export { OpenStreams } from './open-streams.js';
export type { ProxyTarget } from './proxy-path.js';
export { PROXY_PREFIX, parseProxyTarget } from './proxy-path.js';
export { requestKindOf } from './request-verb.js';
