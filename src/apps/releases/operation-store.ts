/**
 * App operations kept in the store (a day long): the replica running Helm appends log lines
 * and writes them at most every `flushMs`, so a subscription on any replica follows the
 * store's change feed. Only the last `MAX_LINES` lines are kept.
 */
import { randomBytes } from 'node:crypto';
import type {
  AppOperationEvent,
  AppOperationKind,
  AppOperationState,
  AppOperationView,
  ValuesChange,
} from '../../domain/apps.js';
import type { Collection, CollectionSpec, Store } from '../../domain/store.js';
import { hasErrorCode } from '../../errors/index.js';

export interface OperationRecord {
  readonly id: string;
  readonly kind: AppOperationKind;
  readonly state: AppOperationState;
  readonly userId: string;
  readonly clusterId: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly error?: string;
  /** The last lines; `lineCount` counts every line ever appended. */
  readonly log: readonly string[];
  readonly lineCount: number;
  readonly valuesDiff?: readonly ValuesChange[];
}

export const operationsCollection: CollectionSpec<OperationRecord> = {
  name: 'app-operations',
  indexes: { byUser: { key: (r) => r.userId } },
};

const MAX_LINES = 2_000;
const MAX_LINE_LENGTH = 4_000;
const TTL_SECONDS = 24 * 60 * 60;

export function toOperationView(r: OperationRecord): AppOperationView {
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    userId: r.userId,
    clusterId: r.clusterId,
    namespace: r.namespace,
    releaseName: r.releaseName,
    startedAt: r.startedAt,
    ...(r.finishedAt === undefined ? {} : { finishedAt: r.finishedAt }),
    ...(r.error === undefined ? {} : { error: r.error }),
    log: r.log,
    logTruncated: r.lineCount > r.log.length,
    ...(r.valuesDiff === undefined ? {} : { valuesDiff: r.valuesDiff }),
  };
}

/** The writer of one running operation. */
export class OperationLog {
  readonly #ops: Collection<OperationRecord>;
  #record: OperationRecord;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  readonly #flushMs: number;
  readonly #now: () => number;

  constructor(
    ops: Collection<OperationRecord>,
    record: OperationRecord,
    flushMs: number,
    now: () => number,
  ) {
    this.#ops = ops;
    this.#record = record;
    this.#flushMs = flushMs;
    this.#now = now;
  }

  get id(): string {
    return this.#record.id;
  }

  get view(): AppOperationView {
    return toOperationView(this.#record);
  }

  line(text: string): void {
    if (this.#record.state !== 'running') return;
    const log = [...this.#record.log, text.slice(0, MAX_LINE_LENGTH)];
    this.#record = {
      ...this.#record,
      log: log.length > MAX_LINES ? log.slice(log.length - MAX_LINES) : log,
      lineCount: this.#record.lineCount + 1,
    };
    this.#dirty = true;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#flush();
    }, this.#flushMs);
  }

  async finish(
    state: Exclude<AppOperationState, 'running'>,
    error?: string,
  ): Promise<AppOperationView> {
    if (this.#record.state !== 'running') return this.view;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#record = {
      ...this.#record,
      state,
      finishedAt: this.#now(),
      ...(error === undefined ? {} : { error: error.slice(0, MAX_LINE_LENGTH) }),
    };
    this.#dirty = true;
    await this.#flush();
    return this.view;
  }

  #flush(): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await this.#ops.update(this.#record.id, this.#record);
      } catch (err) {
        if (!hasErrorCode(err, 'NOT_FOUND')) this.#dirty = true;
      }
    });
    return this.#writing;
  }
}

export class OperationStore {
  readonly ops: Collection<OperationRecord>;
  readonly #now: () => number;
  readonly #flushMs: number;

  constructor(store: Store, options: { now?: () => number; flushMs?: number } = {}) {
    this.ops = store.collection(operationsCollection);
    this.#now = options.now ?? Date.now;
    this.#flushMs = options.flushMs ?? 250;
  }

  async start(
    fields: Pick<
      OperationRecord,
      'kind' | 'userId' | 'clusterId' | 'namespace' | 'releaseName' | 'valuesDiff'
    >,
  ): Promise<OperationLog> {
    const id = `op-${randomBytes(8).toString('hex')}`;
    const record: OperationRecord = {
      id,
      ...fields,
      state: 'running',
      startedAt: this.#now(),
      log: [],
      lineCount: 0,
    };
    await this.ops.create(id, record, { ttlSeconds: TTL_SECONDS });
    return new OperationLog(this.ops, record, this.#flushMs, this.#now);
  }

  async get(id: string): Promise<OperationRecord | undefined> {
    return (await this.ops.get(id))?.value;
  }

  /** The operation's lines so far, then each change, until it ends or `signal` aborts. */
  async *follow(id: string, signal: AbortSignal): AsyncIterable<AppOperationEvent> {
    const queue: OperationRecord[] = [];
    let wake: (() => void) | undefined;
    const stop = this.ops.watch((e) => {
      if (e.id !== id || e.value === undefined) return;
      queue.push(e.value);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      let seen = 0;
      const first = await this.get(id);
      if (first !== undefined) queue.unshift(first);
      while (!signal.aborted) {
        const next = queue.shift();
        if (next === undefined) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (next.lineCount < seen && next.state === 'running') continue;
        const fresh = Math.min(Math.max(next.lineCount - seen, 0), next.log.length);
        const lines = next.log.slice(next.log.length - fresh);
        seen = Math.max(seen, next.lineCount);
        if (lines.length > 0 || next.state !== 'running') {
          yield {
            operationId: id,
            lines,
            state: next.state,
            ...(next.error === undefined ? {} : { error: next.error }),
          };
        }
        if (next.state !== 'running') return;
      }
    } finally {
      stop();
      signal.removeEventListener('abort', onAbort);
    }
  }
}
