/**
 * Where the process is in its life, for the parts that must act on a shutdown: `/readyz` fails
 * from the first moment of a SIGTERM, so load balancers stop sending new work while the
 * listener still serves what they send meanwhile (the drain delay).
 */
export class ServerLifecycle {
  #shutdownSince: number | undefined;
  readonly #listeners = new Set<() => void>();

  /** Marks the start of the shutdown; later calls change nothing. */
  beginShutdown(now: number = Date.now()): void {
    if (this.#shutdownSince !== undefined) return;
    this.#shutdownSince = now;
    for (const listener of [...this.#listeners]) listener();
  }

  get shuttingDown(): boolean {
    return this.#shutdownSince !== undefined;
  }

  /** Epoch ms of the SIGTERM, if one arrived. */
  get shutdownSince(): number | undefined {
    return this.#shutdownSince;
  }

  onShutdown(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
