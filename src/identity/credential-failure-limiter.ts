/**
 * Rate limit on failed credential checks per source address, so API keys and session tokens
 * cannot be guessed at wire speed. A token bucket per address (IPv6 by /64): each failure
 * takes a token, tokens come back at `maxFailures` per `windowMs`, and an empty bucket refuses
 * further checks from that address with 429 until the next token. Kept in process memory on
 * purpose: a store write per failed guess would hand attackers a write amplifier (with N
 * replicas an address gets N buckets). Only credentials that look guessed or forged count;
 * an expired or revoked token is a real one, and its client deserves the 401 that says so.
 */
import { PaddockError } from '../errors/index.js';
import { addressBucket } from './address-bucket.js';
import type { Clock } from './runtime.js';

export interface CredentialFailureLimitOptions {
  /** Failures an address may make in a burst, and per `windowMs` after it. Default 20. */
  readonly maxFailures?: number;
  /** Default one minute. */
  readonly windowMs?: number;
  /** Addresses tracked at once; the least recently failing are forgotten first. */
  readonly maxSources?: number;
}

/** Reasons that mean the presented credential never was a valid one. */
const GUESS_REASONS = new Set([
  'invalid_api_key',
  'malformed_token',
  'bad_signature',
  'unknown_kid',
  'alg_not_allowed',
  'wrong_issuer',
  'wrong_audience',
  'wrong_token_type',
  'invalid_claims',
  'malformed_authorization',
  'unsupported_scheme',
  'token_too_large',
]);

export function isGuessFailure(reason: string | undefined): boolean {
  return reason !== undefined && GUESS_REASONS.has(reason);
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class CredentialFailureLimiter {
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxSources: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: Clock,
    options: CredentialFailureLimitOptions = {},
  ) {
    this.maxFailures = options.maxFailures ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxSources = options.maxSources ?? 100_000;
  }

  /** TOO_MANY_REQUESTS (`too_many_failed_credentials`) while `address` has no tokens left. */
  check(address: string | undefined): void {
    const bucket = this.bucketOf(address, false);
    if (bucket === undefined || bucket.tokens >= 1) return;
    const retryAfterMs = ((1 - bucket.tokens) * this.windowMs) / this.maxFailures;
    throw new PaddockError(
      'TOO_MANY_REQUESTS',
      'too many failed credential checks from your address; try again later',
      {
        reason: 'too_many_failed_credentials',
        details: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
      },
    );
  }

  recordFailure(address: string | undefined): void {
    const bucket = this.bucketOf(address, true);
    if (bucket !== undefined) bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  private bucketOf(address: string | undefined, create: boolean): Bucket | undefined {
    const key = address === undefined ? undefined : addressBucket(address);
    if (key === undefined) return undefined;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (!create) return undefined;
      bucket = { tokens: this.maxFailures, updatedAt: now };
    } else {
      const refill = ((now - bucket.updatedAt) * this.maxFailures) / this.windowMs;
      bucket.tokens = Math.min(this.maxFailures, bucket.tokens + refill);
      bucket.updatedAt = now;
      this.buckets.delete(key);
      // A full bucket is the same as none: forget it so the map holds only recent failers.
      if (bucket.tokens >= this.maxFailures && !create) return undefined;
    }
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxSources) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
    return bucket;
  }
}
