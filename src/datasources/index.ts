export {
  type CapacityBoard,
  capacityCollection,
  MemoryCapacityBoard,
  StoreCapacityBoard,
} from './capacity/capacity-board.js';
export {
  type CapacityClusters,
  CapacityRefresher,
  type CapacityRefresherOptions,
} from './capacity/capacity-refresher.js';
export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export { ClusterAdminService, type ClusterAdminServiceOptions } from './cluster-admin-service.js';
export type {
  ClusterEndpointInput,
  DirectImportInput,
  KubeconfigImportInput,
  ManifestCompletionInput,
} from './cluster-input.js';
export type { ClusterRecord } from './cluster-records.js';
export { clustersCollection, datasourceCollectionSpecs } from './cluster-records.js';
export {
  type AgentManifestSettings,
  type ClusterRegistryOptions,
  DatasourceClusterRegistry,
} from './cluster-registry.js';
export { callCluster, upstreamError, upstreamPath } from './cluster-request.js';
export { createClusterTransport, type TransportOptions } from './cluster-transport.js';
export {
  EXTRA_PRINCIPAL_ID,
  EXTRA_USERNAME,
  IMPERSONATOR_ACCOUNT,
  IMPERSONATOR_TOKEN_SECRET,
  importManifestObjects,
  MANAGER_ACCOUNT,
  MANAGER_TOKEN_SECRET,
  PADDOCK_NAMESPACE,
  renderImportManifest,
} from './import-manifest.js';
export {
  type KubeconfigContext,
  type KubeconfigFileAccess,
  readKubeconfigContext,
} from './kubeconfig-context.js';
export { createOutboundGuard, type OutboundNetworks } from './outbound-guard.js';
export {
  PendingImportSweeper,
  type PendingImportSweeperOptions,
} from './pending-import-sweeper.js';
export { type ResealSecret, resealClusterCredentials } from './reseal-cluster-credentials.js';
export {
  type AgentConnectRoute,
  type AgentGatewayOptions,
  type AgentRegistrar,
  createAgentConnectRoute,
} from './tunnel/agent-gateway.js';
export { TunnelHub } from './tunnel/tunnel-hub.js';
