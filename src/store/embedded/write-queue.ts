import type { RootDatabase } from 'lmdb';
import type { ChangeEvent } from '../../domain/store.js';
import { PaddockError } from '../../errors/index.js';
import { storeUnavailable } from '../shared/store-errors.js';
import type { DiskSpaceGuard } from './disk-space-guard.js';

/** What a write operation returns: its result plus the events to emit once committed. */
export interface WriteOutcome<R> {
  readonly result: R;
  readonly events: readonly ChangeEvent<unknown>[];
}

interface Job {
  readonly op: () => WriteOutcome<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit: operations queued in one event-loop turn run as child transactions of a
 * single synchronous LMDB transaction, so they share one fsync. A child that throws is rolled
 * back alone. Synchronous transactions are used because lmdb-js asynchronous transaction
 * callbacks depend on N-API thread-safe calls that never fire in some environments.
 */
export class WriteQueue {
  private pending: Job[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    private readonly root: RootDatabase,
    private readonly emit: (event: ChangeEvent<unknown>) => void,
    private readonly guard?: DiskSpaceGuard,
  ) {}

  run<R>(op: () => WriteOutcome<R>): Promise<R> {
    if (this.closed) {
      return Promise.reject(new PaddockError('STORE_UNAVAILABLE', 'The store is closed'));
    }
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (value: unknown) => void, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Runs whatever is queued now; used by close() so no acknowledged write is dropped. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const jobs = this.pending;
    this.pending = [];
    if (jobs.length === 0) return;
    try {
      this.guard?.assertWritable();
    } catch (refusal) {
      for (const job of jobs) job.reject(refusal);
      return;
    }
    const outcomes: (
      | { ok: true; outcome: WriteOutcome<unknown> }
      | { ok: false; error: unknown }
    )[] = [];
    try {
      this.root.transactionSync(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, outcome: this.root.transactionSync(job.op) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      this.guard?.commitFailed(error);
      const failure = storeUnavailable('The embedded store could not commit a write', error);
      for (const job of jobs) job.reject(failure);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined) {
        job.reject(new PaddockError('INTERNAL', 'write outcome missing'));
      } else if (outcome.ok) {
        for (const event of outcome.outcome.events) this.emit(event);
        job.resolve(outcome.outcome.result);
      } else if (outcome.error instanceof PaddockError) {
        job.reject(outcome.error);
      } else {
        this.guard?.commitFailed(outcome.error);
        job.reject(storeUnavailable('The embedded store failed a write', outcome.error));
      }
    });
  }

  close(): void {
    this.flush();
    this.closed = true;
  }
}
