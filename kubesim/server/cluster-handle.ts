// The library/admin handle of one served cluster: fault injection and state access.

import type { FaultSettings } from '../faults/faults.js';
import {
  type CrashLoopFault,
  failJob,
  type NodeFault,
  recordEvent,
  setCrashLoop,
  setNodeFault,
  type WarningEvent,
} from '../faults/object-faults.js';
import type { KubeObject } from '../storage/types.js';
import type { ClusterServer } from './cluster-server.js';
import type { SimCluster, StaticUser } from './sim-cluster.js';

export interface ClusterDescription {
  name: string;
  url: string;
  caFile: string;
  caPem: string;
  adminToken: string;
  users: Record<string, StaticUser>;
}

export class ClusterHandle {
  constructor(
    readonly sim: SimCluster,
    private readonly server: ClusterServer,
    private readonly caFile: string,
  ) {}

  get name(): string {
    return this.sim.name;
  }

  get url(): string {
    return this.server.url;
  }

  describe(): ClusterDescription {
    return {
      name: this.sim.name,
      url: this.server.url,
      caFile: this.caFile,
      caPem: this.sim.caPem,
      adminToken: this.sim.adminToken,
      users: { ...this.sim.users },
    };
  }

  /** Current fault settings. */
  get faults(): FaultSettings {
    return this.sim.faults.current;
  }

  /** Merges fault settings (a falsy value clears that fault) and applies "down". */
  async setFaults(patch: FaultSettings): Promise<FaultSettings> {
    const next = this.sim.faults.merge(patch);
    await this.server.setDown(next.down === true);
    if (next.dropWatches) this.sim.watches.dropAll();
    return next;
  }

  async clearFaults(): Promise<void> {
    this.sim.faults.clear();
    await this.server.setDown(false);
  }

  /** Ends every open watch stream now; returns how many were dropped. */
  dropWatches(): number {
    return this.sim.watches.dropAll();
  }

  /** Node NotReady / pressure / cordon, or back to normal. */
  setNodeFault(name: string, fault: NodeFault): KubeObject {
    return setNodeFault(this.sim, name, fault);
  }

  /** A pod's containers crash-looping (CrashLoopBackOff, restart count), or running again. */
  setCrashLoop(namespace: string, name: string, fault: CrashLoopFault = {}): KubeObject {
    return setCrashLoop(this.sim, namespace, name, fault);
  }

  /** A Job failed with BackoffLimitExceeded. */
  failJob(namespace: string, name: string): KubeObject {
    return failJob(this.sim, namespace, name);
  }

  /** A core/v1 Event (Warning by default). */
  recordEvent(event: WarningEvent): KubeObject {
    return recordEvent(this.sim, event);
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.sim.get(resource, namespace, name);
  }

  list(resource: string, namespace?: string): KubeObject[] {
    return this.sim.list(resource, namespace);
  }

  /** Creates through the API path (defaults, validation, controllers). */
  create(resource: string, obj: KubeObject): KubeObject {
    return this.sim.create(resource, obj);
  }

  /** Issues a token for a (created if missing) service account "namespace/name". */
  serviceAccountToken(ref: string): string {
    return this.sim.addServiceAccount(ref);
  }

  get resourceVersion(): number {
    return this.sim.store.currentRv;
  }
}
