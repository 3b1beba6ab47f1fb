/**
 * Remembers when something was last written per key so frequent events (a key used a thousand
 * times a minute) cause at most one store write per interval. Bounded: the oldest keys go.
 */
import type { Clock } from './runtime.js';

export class WriteThrottle {
  private readonly lastWrite = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxKeys: number;
  private readonly now: Clock;

  constructor(intervalMs: number, now: Clock, maxKeys = 10_000) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.maxKeys = maxKeys;
  }

  /** True (and remembered) if `key` was not written within the interval (or `intervalMs`). */
  shouldWrite(key: string, lastKnownWrite?: number, intervalMs = this.intervalMs): boolean {
    const now = this.now();
    const last = Math.max(
      this.lastWrite.get(key) ?? Number.NEGATIVE_INFINITY,
      lastKnownWrite ?? Number.NEGATIVE_INFINITY,
    );
    if (now - last < intervalMs) return false;
    this.lastWrite.delete(key);
    this.lastWrite.set(key, now);
    if (this.lastWrite.size > this.maxKeys) {
      const oldest = this.lastWrite.keys().next().value;
      if (oldest !== undefined) this.lastWrite.delete(oldest);
    }
    return true;
  }

  forget(key: string): void {
    this.lastWrite.delete(key);
  }
}
