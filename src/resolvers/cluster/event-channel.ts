/**
 * A push-fed async iterator for subscriptions. Unlike an async generator, `return()` finishes
 * at once even while the producer waits on a quiet watch, so an unsubscribing client frees its
 * slot and its downstream watch immediately.
 */
export class EventChannel<T> implements AsyncIterableIterator<T> {
  readonly #queue: T[] = [];
  readonly #waiting: ((r: IteratorResult<T>) => void)[] = [];
  readonly #failers: ((err: unknown) => void)[] = [];
  readonly #onClose: () => void;
  #closed = false;
  #error: unknown;

  constructor(onClose: () => void) {
    this.#onClose = onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  push(value: T): void {
    if (this.#closed) return;
    const waiter = this.#waiting.shift();
    this.#failers.shift();
    if (waiter) waiter({ value, done: false });
    else this.#queue.push(value);
  }

  /** Ends the stream after what is queued; `error` makes the next read throw. */
  end(error?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#error = error;
    this.#onClose();
    const failers = this.#failers.splice(0);
    const waiters = this.#waiting.splice(0);
    waiters.forEach((w, i) => {
      if (error !== undefined) failers[i]?.(error);
      else w({ value: undefined, done: true });
    });
  }

  next(): Promise<IteratorResult<T>> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve({ value: queued, done: false });
    if (this.#closed) {
      if (this.#error !== undefined) {
        const err = this.#error;
        this.#error = undefined;
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push(resolve);
      this.#failers.push(reject);
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.#queue.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
