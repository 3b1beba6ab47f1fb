/**
 * A long-lived GET (a watch) over a cluster's `ClusterUpstream`, as an answer status plus an
 * async iterable body. On a cluster that offers HTTP/2 the watches of all kinds share a few
 * connections instead of holding one TLS connection each (ADR 0010), which is what lets one
 * Paddock follow a thousand clusters.
 */
import type { ClusterUpstream, UpstreamCall } from '../../domain/cluster-upstream.js';

export interface StreamAnswer {
  readonly status: number;
  readonly body: AsyncIterable<Buffer> & { text(): Promise<string> };
}

const HIGH_WATER = 64;

export function openStream(
  upstream: ClusterUpstream,
  request: { path: string; headers: Record<string, string> },
  signal: AbortSignal,
  headTimeoutMs: number,
): Promise<StreamAnswer> {
  return new Promise((resolve, reject) => {
    const queue: Buffer[] = [];
    let ended = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    let paused = false;
    let headSeen = false;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const headTimer = setTimeout(() => {
      if (headSeen) return;
      call.abort();
      signal.removeEventListener('abort', onAbort);
      reject(new Error(`no answer within ${headTimeoutMs} ms`));
    }, headTimeoutMs);
    const onAbort = () => {
      call.abort();
      ended = true;
      clearTimeout(headTimer);
      if (!headSeen) reject(signal.reason ?? new Error('aborted'));
      notify();
    };
    const call: UpstreamCall = upstream.send(
      {
        method: 'GET',
        path: request.path,
        headers: request.headers,
        idleTimeoutMs: 0,
        longLived: true,
      },
      {
        onHead(status) {
          headSeen = true;
          clearTimeout(headTimer);
          resolve({ status, body });
        },
        onData(chunk) {
          queue.push(chunk);
          notify();
          paused = queue.length >= HIGH_WATER;
          return !paused;
        },
        onEnd() {
          ended = true;
          signal.removeEventListener('abort', onAbort);
          notify();
        },
        onError(err) {
          clearTimeout(headTimer);
          signal.removeEventListener('abort', onAbort);
          if (!headSeen) reject(err);
          failure = err;
          ended = true;
          notify();
        },
      },
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });

    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        for (;;) {
          const next = queue.shift();
          if (next !== undefined) {
            if (paused && queue.length < HIGH_WATER / 2) {
              paused = false;
              call.resume();
            }
            yield next;
            continue;
          }
          if (failure !== undefined) throw failure;
          if (ended) return;
          await new Promise<void>((r) => {
            wake = r;
          });
        }
      } finally {
        if (!ended) call.abort();
        signal.removeEventListener('abort', onAbort);
      }
    }
    const iterable = chunks();
    const body = Object.assign(iterable, {
      async text() {
        const parts: Buffer[] = [];
        for await (const c of iterable) parts.push(c);
        return Buffer.concat(parts).toString('utf8');
      },
    });
  });
}
