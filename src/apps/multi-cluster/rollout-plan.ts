/**
 * Which targets a rollout changes, in which batches. Pure: the controller feeds it what it
 * observed in each target and runs the batches it answers.
 */
import type { TargetState } from '../../domain/multi-cluster-apps.js';

export interface ObservedTarget {
  readonly key: string;
  /** The release matches the spec and is deployed. */
  readonly inSync: boolean;
  /** The target could not be read (its cluster is down): nothing to run there now. */
  readonly unreachable: boolean;
  readonly state: TargetState;
  /** Epoch milliseconds of the last failed attempt, for the retry delay. */
  readonly failedAt?: number;
}

/** Targets to change, in batches of `batchSize`, in the order given. */
export function planRollout(
  targets: readonly ObservedTarget[],
  options: { batchSize: number; now: number; retryMs: number },
): string[][] {
  const due = targets.filter(
    (t) =>
      !t.inSync &&
      !t.unreachable &&
      (t.state !== 'failed' ||
        t.failedAt === undefined ||
        options.now - t.failedAt >= options.retryMs),
  );
  const batches: string[][] = [];
  for (let i = 0; i < due.length; i += options.batchSize) {
    batches.push(due.slice(i, i + options.batchSize).map((t) => t.key));
  }
  return batches;
}
