/**
 * Runs one task per cluster concurrently, at most `concurrency` at a time, each with its own
 * deadline. A cluster that fails or is too slow becomes a `ClusterFailure`; the others' answers
 * are kept. The deadline is enforced here as well as passed down as an AbortSignal, so a task
 * that ignores its signal still cannot hold the answer back.
 */
import {
  type ClusterFailure,
  type FanOutOptions,
  type FanOutResult,
  isKubeApiError,
  KubeApiError,
} from '../../domain/kube-api.js';
import { isPaddockError } from '../../errors/index.js';

export const DEFAULT_FAN_OUT_DEADLINE_MS = 5_000;
export const DEFAULT_FAN_OUT_CONCURRENCY = 16;

export async function fanOut<T>(
  clusterIds: readonly string[],
  task: (clusterId: string, signal: AbortSignal) => Promise<T>,
  options: FanOutOptions = {},
): Promise<FanOutResult<T>> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_FAN_OUT_DEADLINE_MS;
  const endsAt =
    options.totalDeadlineMs === undefined ? undefined : Date.now() + options.totalDeadlineMs;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_FAN_OUT_CONCURRENCY);
  const ids = [...new Set(clusterIds)];
  const outcomes: ({ ok: true; value: T } | { ok: false; failure: ClusterFailure })[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const clusterId = ids[index]!;
      // A cluster whose turn comes late gets only what is left of the query's deadline.
      const left = endsAt === undefined ? deadlineMs : Math.min(deadlineMs, endsAt - Date.now());
      outcomes[index] =
        left > 0
          ? await runOne(clusterId, task, left)
          : { ok: false, failure: timeoutOf(clusterId, options.totalDeadlineMs ?? deadlineMs) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  const result: FanOutResult<T> = { items: [], clusterErrors: [] };
  outcomes.forEach((o, i) => {
    if (o.ok) result.items.push({ clusterId: ids[i]!, value: o.value });
    else result.clusterErrors.push(o.failure);
  });
  return result;
}

async function runOne<T>(
  clusterId: string,
  task: (clusterId: string, signal: AbortSignal) => Promise<T>,
  deadlineMs: number,
): Promise<{ ok: true; value: T } | { ok: false; failure: ClusterFailure }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = timeoutError(clusterId, deadlineMs);
      controller.abort(new DOMException(err.message, 'TimeoutError'));
      reject(err);
    }, deadlineMs);
  });
  try {
    const value = await Promise.race([task(clusterId, controller.signal), expired]);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, failure: failureOf(clusterId, err) };
  } finally {
    clearTimeout(timer);
    expired.catch(() => undefined);
  }
}

function timeoutError(clusterId: string, deadlineMs: number): KubeApiError {
  return new KubeApiError(
    clusterId,
    'TIMEOUT',
    `cluster ${clusterId} did not answer within ${Math.round(deadlineMs)} ms`,
  );
}

function timeoutOf(clusterId: string, deadlineMs: number): ClusterFailure {
  return failureOf(clusterId, timeoutError(clusterId, deadlineMs));
}

/** The `clusterErrors` entry for anything a per-cluster task threw. */
export function failureOf(clusterId: string, err: unknown): ClusterFailure {
  if (isKubeApiError(err)) {
    return { clusterId, code: err.kubeCode, message: err.message, retryable: err.retryable };
  }
  if (isPaddockError(err) && err.code !== 'INTERNAL') {
    return { clusterId, code: 'INTERNAL', message: err.message, retryable: false };
  }
  return { clusterId, code: 'INTERNAL', message: 'internal error', retryable: false };
}
