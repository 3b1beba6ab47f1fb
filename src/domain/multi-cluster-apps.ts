/**
 * A multi-cluster app: one chart, version and values deployed as a Helm release of the same
 * name to several targets (cluster + project + namespace, each with optional overrides), kept
 * there by a background controller with a rollout strategy. The controller acts with a
 * short-lived credential of the app's owner, so it never does more than the owner may do now.
 */
import type { ValuesInput } from './apps.js';
import type { Identity } from './identity.js';

export interface RolloutStrategy {
  /** Targets changed at once; at least 1. */
  readonly batchSize: number;
  /** Wait between two batches. */
  readonly pauseSeconds: number;
  /** A failed target stops the rest of the rollout until the next attempt. */
  readonly stopOnFailure: boolean;
}

export type TargetState = 'pending' | 'deploying' | 'deployed' | 'failed' | 'drifted';

/**
 * `active`: reconciled; `suspended`: the owner is disabled, gone or may no longer install, so
 * nothing runs until that changes; `deleting`: uninstalling from every target.
 */
export type MultiClusterAppState = 'active' | 'suspended' | 'deleting';

export interface TargetRef {
  readonly clusterId: string;
  readonly namespace: string;
}

export interface TargetInput extends TargetRef {
  readonly projectId: string;
  readonly values?: ValuesInput;
}

export interface TargetView extends TargetRef {
  readonly projectId: string;
  /** The target's overrides, merged over the app's values. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly state: TargetState;
  /** Why it failed or drifted, or what it waits for. */
  readonly message?: string;
  /** The Helm revision last seen in the target. */
  readonly releaseRevision?: number;
  readonly chartVersion?: string;
  /** The app's spec revision the target runs. */
  readonly specRevision?: number;
  readonly updatedAt?: number;
}

/** A past spec of the app, for rolling every target back to it. */
export interface SpecRevision {
  readonly revision: number;
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly createdBy: string;
}

export interface MultiClusterAppView {
  readonly id: string;
  /** Also the Helm release name in every target. */
  readonly name: string;
  readonly catalogId: string;
  readonly chart: string;
  readonly version: string;
  readonly values: Readonly<Record<string, unknown>>;
  readonly rollout: RolloutStrategy;
  readonly targets: readonly TargetView[];
  /** Targets removed from the spec whose releases are still being uninstalled. */
  readonly removing: readonly TargetRef[];
  /** The user whose rights the controller acts with. */
  readonly ownerId: string;
  readonly state: MultiClusterAppState;
  readonly stateMessage?: string;
  readonly specRevision: number;
  readonly revisions: readonly SpecRevision[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewMultiClusterApp {
  readonly name: string;
  readonly catalogId: string;
  readonly chart: string;
  /** The newest version when absent. */
  readonly version?: string;
  readonly values?: ValuesInput;
  readonly targets: readonly TargetInput[];
  readonly rollout?: Partial<RolloutStrategy>;
}

/** An upgrade of every target: a new version and/or values, or a new rollout strategy. */
export interface MultiClusterAppChange {
  readonly version?: string;
  readonly values?: ValuesInput;
  readonly rollout?: Partial<RolloutStrategy>;
}

export interface MultiClusterAppService {
  list(caller: Identity): Promise<MultiClusterAppView[]>;
  get(caller: Identity, id: string): Promise<MultiClusterAppView>;
  create(caller: Identity, input: NewMultiClusterApp): Promise<MultiClusterAppView>;
  update(caller: Identity, id: string, change: MultiClusterAppChange): Promise<MultiClusterAppView>;
  addTargets(
    caller: Identity,
    id: string,
    targets: readonly TargetInput[],
  ): Promise<MultiClusterAppView>;
  removeTargets(
    caller: Identity,
    id: string,
    targets: readonly TargetRef[],
  ): Promise<MultiClusterAppView>;
  /** Makes a past spec revision the current one (as a new revision), on every target. */
  rollback(caller: Identity, id: string, revision: number): Promise<MultiClusterAppView>;
  /** Uninstalls from every target, then forgets the app. */
  remove(caller: Identity, id: string): Promise<MultiClusterAppView>;
}
