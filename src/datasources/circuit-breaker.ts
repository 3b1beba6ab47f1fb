import type { CircuitGate } from '../domain/cluster.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold?: number;
  /** How long an open circuit refuses calls before letting one trial through. */
  readonly openMs?: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

/**
 * Closed → open after `failureThreshold` consecutive failures; open refuses every call for
 * `openMs`; then half-open lets one call through, whose outcome closes or re-opens it. This is
 * what makes a dead cluster answer in microseconds instead of a connect timeout. Only the data
 * path feeds it, and only with failures to reach the cluster: health probes and slow answers
 * never open it (ADR 0021); the one exception is an agent cluster with no agent connected, which
 * has no route at all (`trip`).
 */
export class CircuitBreaker implements CircuitGate {
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  #failures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 3;
    this.#openMs = options.openMs ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  get circuit(): 'closed' | 'open' | 'half-open' {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.#openMs ? 'half-open' : 'open';
  }

  allowRequest(): boolean {
    switch (this.circuit) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.#trialInFlight) return false;
        this.#trialInFlight = true;
        return true;
    }
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  recordFailure(): void {
    this.#failures += 1;
    this.#trialInFlight = false;
    if (this.#openedAt !== undefined || this.#failures >= this.#threshold) {
      this.#openedAt = this.#now();
    }
  }

  /** Opens the circuit at once: there is no route to the cluster (no agent connected). */
  trip(): void {
    this.#failures = Math.max(this.#failures, this.#threshold);
    this.#openedAt = this.#now();
    this.#trialInFlight = false;
  }
}
