// Per-cluster fault injection: added latency (fixed, uniform range or normal distribution),
// a rate of failed requests, refused connections (down), requests that never answer (hang),
// and dropped watch streams.

import {
  internalError,
  type StatusError,
  serviceUnavailable,
  tooManyRequests,
} from '../api/status.js';

export type Latency =
  | number
  | { minMs: number; maxMs: number }
  | { meanMs: number; stddevMs: number };

export interface FaultSettings {
  latency?: Latency;
  /** 0..1, share of requests answered with errorCode */
  errorRate?: number;
  errorCode?: 429 | 500 | 503;
  /** refuse TCP connections (the listener is closed) */
  down?: boolean;
  /** accept requests and never answer */
  hang?: boolean;
  /** end every watch stream as soon as it starts */
  dropWatches?: boolean;
}

export class FaultState {
  private settings: FaultSettings = {};
  constructor(private readonly random: () => number = Math.random) {}

  get current(): FaultSettings {
    return { ...this.settings };
  }

  set(next: FaultSettings): void {
    this.settings = { ...next };
  }

  merge(patch: FaultSettings): FaultSettings {
    this.settings = { ...this.settings, ...patch };
    for (const [k, v] of Object.entries(this.settings)) {
      if (v === undefined || v === null || v === false || v === 0)
        delete (this.settings as Record<string, unknown>)[k];
    }
    return this.current;
  }

  clear(): void {
    this.settings = {};
  }

  delayMs(): number {
    const l = this.settings.latency;
    if (l === undefined) return 0;
    if (typeof l === 'number') return Math.max(0, l);
    if ('minMs' in l) return l.minMs + this.random() * Math.max(0, l.maxMs - l.minMs);
    // Box-Muller transform for a normal distribution.
    const u = Math.max(this.random(), 1e-9);
    const v = this.random();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, l.meanMs + z * l.stddevMs);
  }

  /** The error to answer with for this request, if the error rate says so. */
  injectedError(): StatusError | undefined {
    const rate = this.settings.errorRate ?? 0;
    if (rate <= 0 || this.random() >= rate) return undefined;
    switch (this.settings.errorCode ?? 500) {
      case 429:
        return tooManyRequests();
      case 503:
        return serviceUnavailable('the server is currently unable to handle the request');
      default:
        return internalError('injected fault');
    }
  }

  get hang(): boolean {
    return this.settings.hang === true;
  }

  get down(): boolean {
    return this.settings.down === true;
  }

  get dropWatches(): boolean {
    return this.settings.dropWatches === true;
  }
}
