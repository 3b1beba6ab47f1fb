export type { FaultSettings, Latency } from './faults/faults.js';
export type { CrashLoopFault, NodeFault, WarningEvent } from './faults/object-faults.js';
export type { ClusterDescription } from './server/cluster-handle.js';
export { ClusterHandle } from './server/cluster-handle.js';
export type { AnonymousMode, StaticUser, Timings } from './server/sim-cluster.js';
export { type Kubesim, type KubesimOptions, startKubesim } from './start.js';
