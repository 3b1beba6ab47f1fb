export type { AuthRoutesOptions } from './auth/auth-routes.js';
export { authRoutes } from './auth/auth-routes.js';
export type { ConsoleRouteOptions } from './console/console-route.js';
export { CONSOLE_CSP, consoleRoute } from './console/console-route.js';
export { readCookie, secureCookie } from './cookies.js';
export { createLogger, createServerLoggers } from './create-logger.js';
export type { HealthRoutesOptions, ReadinessCheck } from './health-routes.js';
export { healthRoutes } from './health-routes.js';
export type { HttpMetrics } from './http-metrics.js';
export { createHttpMetrics } from './http-metrics.js';
export type { HttpHandler, HttpRoute, RequestContext, UpgradeHandler } from './http-route.js';
export type { KubeconfigIssuerOptions } from './kubeconfig/kubeconfig-issuer.js';
export { createKubeconfigIssuer } from './kubeconfig/kubeconfig-issuer.js';
export type { KubeconfigRouteOptions } from './kubeconfig/kubeconfig-route.js';
export { kubeconfigRoute } from './kubeconfig/kubeconfig-route.js';
export { renderKubeconfig } from './kubeconfig/render-kubeconfig.js';
export { filterClusterSeries } from './metrics-filter.js';
export type { MetricsAccess } from './metrics-route.js';
export { metricsRoute } from './metrics-route.js';
export type { PaddockServer, PaddockServerOptions, ShutdownOptions } from './paddock-server.js';
export { createPaddockServer } from './paddock-server.js';
export { readJsonBody } from './read-json-body.js';
export { sendError, sendJson } from './send-json.js';
export { ServerLifecycle } from './server-lifecycle.js';
export type { ServingTls, ServingTlsOptions } from './tls/serving-tls.js';
export { loadServingTls } from './tls/serving-tls.js';
export {
  resealSharedCa,
  type SharedCaOptions,
  type SharedCaRecord,
  servingCaCollection,
} from './tls/shared-ca.js';
