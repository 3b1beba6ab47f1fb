/**
 * What one cluster's health probes add up to, with hysteresis: one failed probe makes a cluster
 * `degraded`, not `unavailable`; it is `unavailable` after `downAfter` failures in a row (or
 * one probe that got no answer at all within its deadline) and `active` again after `upAfter`
 * good probes in a row (`degraded` in between). A cluster that answers slowly is `degraded`,
 * never `unavailable`; one that went up and down `flapAfter` times within `flapWindowMs` stays
 * `degraded` ("flapping") until it has been steady for that long. Only a refused credential is
 * believed at once. The verdict is only ever shown: the data path's circuit breaker is fed by
 * the data path's own calls (ADR 0021).
 */
import type { ClusterHealth } from '../domain/cluster.js';

export interface HealthVerdictOptions {
  readonly now: () => number;
  /** Failed probes in a row that make a cluster unavailable; default 2. */
  readonly downAfter?: number;
  /** Good probes in a row that make an unavailable cluster active again; default 2. */
  readonly upAfter?: number;
  /** A probe call slower than this makes the cluster degraded; default 2 s. */
  readonly slowMs?: number;
  /** Changes between up and down within `flapWindowMs` that count as flapping; default 4. */
  readonly flapAfter?: number;
  readonly flapWindowMs?: number;
}

/** One probe's outcome, before hysteresis. */
export interface ProbeResult {
  /** What the probe alone would say. */
  readonly health: ClusterHealth;
  /** Its slowest call, in milliseconds. */
  readonly slowestCallMs: number;
  /** No answer within the probe's deadline (as opposed to a refused or failed connection). */
  readonly timedOut?: boolean;
}

type Base = 'up' | 'down';

export class HealthVerdict {
  readonly #o: Required<HealthVerdictOptions>;
  #shown: ClusterHealth;
  /** The last probe that found the cluster answering, for its version and node counts. */
  #lastGood: ClusterHealth | undefined;
  #downStreak = 0;
  #upStreak = 0;
  #base: Base | undefined;
  #flips: number[] = [];

  constructor(initial: ClusterHealth, options: HealthVerdictOptions) {
    this.#o = {
      downAfter: 2,
      upAfter: 2,
      slowMs: 2_000,
      flapAfter: 4,
      flapWindowMs: 60_000,
      ...options,
    };
    this.#shown = initial;
    if (initial.state === 'active' || initial.state === 'degraded') {
      this.#base = 'up';
      this.#lastGood = initial;
    } else if (initial.state === 'unavailable' && initial.checkedAt !== undefined) {
      this.#base = 'down';
    }
  }

  get shown(): ClusterHealth {
    return this.#shown;
  }

  /** Folds in one finished probe; returns the health to show. */
  record(result: ProbeResult): ClusterHealth {
    const raw = result.health;
    const at = raw.checkedAt ?? this.#o.now();
    switch (raw.state) {
      case 'unauthorized':
      case 'pending':
        this.#downStreak = 0;
        this.#upStreak = 0;
        this.#shown = raw;
        return raw;
      case 'unavailable':
        return this.#recordDown(raw, at, result.timedOut === true);
      case 'active':
      case 'degraded':
        return this.#recordUp(raw, at, result.slowestCallMs);
    }
  }

  /** A probe has waited `waitedMs` without an answer: the cluster is at least slow. */
  waiting(waitedMs: number): ClusterHealth {
    if (this.#shown.state !== 'active') return this.#shown;
    this.#shown = {
      ...this.#shown,
      state: 'degraded',
      message: `slow: no answer to a health probe for ${seconds(waitedMs)}`,
    };
    return this.#shown;
  }

  #recordDown(raw: ClusterHealth, at: number, timedOut: boolean): ClusterHealth {
    this.#upStreak = 0;
    // A probe that waited its whole deadline for nothing is as good as several refusals.
    this.#downStreak = timedOut ? this.#o.downAfter : this.#downStreak + 1;
    if (this.#downStreak >= this.#o.downAfter || this.#base === undefined) {
      this.#flip('down', at);
      this.#shown = raw;
      return raw;
    }
    if (this.#base === 'down') {
      this.#shown = raw;
      return raw;
    }
    this.#shown = {
      ...(this.#lastGood ?? raw),
      state: 'degraded',
      checkedAt: at,
      message: `a health probe failed (${this.#downStreak} of ${this.#o.downAfter} before unavailable)`,
    };
    return this.#shown;
  }

  #recordUp(raw: ClusterHealth, at: number, slowestCallMs: number): ClusterHealth {
    this.#downStreak = 0;
    this.#upStreak += 1;
    this.#lastGood = raw;
    if (this.#base === 'down' && this.#upStreak < this.#o.upAfter) {
      this.#shown = {
        ...raw,
        state: 'degraded',
        message: `answering again (${this.#upStreak} of ${this.#o.upAfter} good probes before active)`,
      };
      return this.#shown;
    }
    this.#flip('up', at);
    const flaps = this.#flipsWithin(at);
    if (flaps >= this.#o.flapAfter) {
      this.#shown = {
        ...raw,
        state: 'degraded',
        message: `flapping: ${flaps} changes between up and down in the last ${seconds(this.#o.flapWindowMs)}`,
      };
    } else if (slowestCallMs >= this.#o.slowMs) {
      this.#shown = {
        ...raw,
        state: 'degraded',
        message: `slow: answered in ${seconds(slowestCallMs)}`,
      };
    } else {
      this.#shown = raw;
    }
    return this.#shown;
  }

  #flip(base: Base, at: number): void {
    if (this.#base !== undefined && this.#base !== base) this.#flips.push(at);
    this.#base = base;
  }

  #flipsWithin(at: number): number {
    this.#flips = this.#flips.filter((t) => at - t < this.#o.flapWindowMs);
    return this.#flips.length;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
