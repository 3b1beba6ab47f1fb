/**
 * Brute-force protection without lock-out, after OWASP's "Blocking Brute Force Attacks" and
 * Authentication Cheat Sheet (progressive delays rather than account lock-out, which lets
 * anyone lock the admin out from anywhere). Failures are counted in the store, so every
 * replica sees them, under three keys:
 *
 * - **account + source** (address, IPv6 by /64): past 5 free failures each further one doubles
 *   the wait of that pair, from 1 s up to 15 min. Guessing one account from one place is slow;
 *   the real owner at another address is not affected. A success resets the pair.
 * - **source** (any account): past 20 free failures (NATs share addresses) the same doubling
 *   wait for the whole address, against password spraying. A success forgives the source the
 *   failures of that same account (the user's own typos), never those against other accounts.
 * - **account** (any source): past 10 failures each attempt on the account is *slowed*, by
 *   250 ms doubling up to 2 s, never refused: a distributed attack gets slower, and the real
 *   owner still gets in from a fresh address.
 *
 * Waits are refusals (429 with Retry-After) decided before a provider is asked, so a throttled
 * attempt costs no LDAP bind. Counts are forgotten 15 minutes after their last failure.
 */
import { createHash } from 'node:crypto';
import type { Collection, Store, StoredRecord } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { addressBucket } from './address-bucket.js';
import { type LoginFailureRecord, loginFailuresCollection } from './collections.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';

export { addressBucket } from './address-bucket.js';

export interface LoginThrottlePolicy {
  /** Failures of one account from one source before that pair must wait. */
  readonly accountSourceFreeAttempts: number;
  /** Failures from one source, any account, before it must wait; higher: NATs share addresses. */
  readonly sourceFreeAttempts: number;
  /** First wait past the free attempts; doubles with each further failure. */
  readonly baseDelaySeconds: number;
  /** Longest wait of a source or of an account+source pair. */
  readonly maxDelaySeconds: number;
  /** Failures of one account, from anywhere, before each attempt on it is slowed down. */
  readonly accountFreeAttempts: number;
  /** First slow-down of an attempt on an account under attack; doubles per further failure. */
  readonly accountBasePauseMs: number;
  /** Longest slow-down; small, because it applies to the real owner too. */
  readonly accountMaxPauseMs: number;
  /** Failures are forgotten after this long without a new one. */
  readonly windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE_POLICY: LoginThrottlePolicy = {
  accountSourceFreeAttempts: 5,
  sourceFreeAttempts: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 900,
  accountFreeAttempts: 10,
  accountBasePauseMs: 250,
  accountMaxPauseMs: 2000,
  windowSeconds: 900,
};

export interface LoginAttemptKey {
  readonly provider: string;
  readonly username: string;
  readonly remoteAddress?: string;
}

/** Waits the given milliseconds; injectable so tests need not sleep. */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function throttled(retryAfterSeconds: number): PaddockError {
  return new PaddockError('TOO_MANY_REQUESTS', 'too many failed logins; try again later', {
    reason: 'login_throttled',
    details: { retryAfterSeconds },
  });
}

interface ThrottleKeys {
  readonly pair: string;
  readonly account: string;
  readonly source?: string;
}

export class LoginThrottle {
  readonly policy: LoginThrottlePolicy;
  private readonly failures: Collection<LoginFailureRecord>;
  private readonly runtime: IdentityRuntime;
  private readonly sleep: Sleep;

  constructor(
    store: Store,
    policy: Partial<LoginThrottlePolicy> = {},
    runtime: IdentityRuntime = systemRuntime,
    sleep: Sleep = realSleep,
  ) {
    this.failures = store.collection(loginFailuresCollection);
    this.policy = { ...DEFAULT_LOGIN_THROTTLE_POLICY, ...policy };
    this.runtime = runtime;
    this.sleep = sleep;
  }

  /**
   * Throws TOO_MANY_REQUESTS (with `retryAfterSeconds`) while the account+source pair or the
   * source must wait; otherwise returns, after slowing down an attempt on an account that is
   * under attack.
   */
  async check(attempt: LoginAttemptKey): Promise<void> {
    const keys = this.keysOf(attempt);
    const [pair, source, account] = await Promise.all([
      this.failures.get(keys.pair),
      keys.source === undefined ? undefined : this.failures.get(keys.source),
      this.failures.get(keys.account),
    ]);
    const now = this.runtime.now();
    const until = Math.max(pair?.value.lockedUntil ?? 0, source?.value.lockedUntil ?? 0);
    if (until > now) throw throttled(Math.ceil((until - now) / 1000));
    const pauseMs = this.accountPauseMs(account?.value.count ?? 0);
    if (pauseMs > 0) await this.sleep(pauseMs);
  }

  async recordFailure(attempt: LoginAttemptKey): Promise<void> {
    const keys = this.keysOf(attempt);
    const { accountSourceFreeAttempts, sourceFreeAttempts } = this.policy;
    await Promise.all([
      this.increment(keys.pair, accountSourceFreeAttempts),
      // The account's own count only slows attempts down; it never locks (free = infinite).
      this.increment(keys.account, Number.POSITIVE_INFINITY),
      keys.source === undefined ? undefined : this.increment(keys.source, sourceFreeAttempts),
    ]);
  }

  /**
   * A successful login: the pair starts afresh, and the source is forgiven this account's
   * failures. The account-wide count stays: it only ever slows down, and decays by itself.
   */
  async recordSuccess(attempt: LoginAttemptKey): Promise<void> {
    const keys = this.keysOf(attempt);
    const pair = await this.failures.get(keys.pair);
    if (pair === undefined) return;
    await this.failures.delete(keys.pair);
    if (keys.source !== undefined) await this.forgive(keys.source, pair.value.count);
  }

  private accountPauseMs(count: number): number {
    const { accountFreeAttempts, accountBasePauseMs, accountMaxPauseMs } = this.policy;
    if (count <= accountFreeAttempts) return 0;
    return Math.min(accountMaxPauseMs, accountBasePauseMs * 2 ** (count - accountFreeAttempts - 1));
  }

  private keysOf(attempt: LoginAttemptKey): ThrottleKeys {
    // Hashed: usernames are attacker-chosen text; the store ids stay short and plain.
    const account = `${attempt.provider}\0${attempt.username.trim().toLowerCase()}`;
    const bucket =
      attempt.remoteAddress === undefined ? undefined : addressBucket(attempt.remoteAddress);
    return {
      account: `acct-${digest(account)}`,
      pair: `pair-${digest(`${account}\0${bucket ?? 'unknown'}`)}`,
      ...(bucket === undefined ? {} : { source: `addr-${digest(bucket)}` }),
    };
  }

  private async increment(id: string, free: number): Promise<void> {
    await this.rewrite(id, (current, now) => {
      const count = (current?.count ?? 0) + 1;
      const delaySeconds =
        count <= free
          ? 0
          : Math.min(
              this.policy.maxDelaySeconds,
              this.policy.baseDelaySeconds * 2 ** (count - free - 1),
            );
      return {
        count,
        firstFailureAt: current?.firstFailureAt ?? now,
        lastFailureAt: now,
        lockedUntil: Math.max(current?.lockedUntil ?? 0, now + delaySeconds * 1000),
      };
    });
  }

  private async forgive(id: string, failures: number): Promise<void> {
    await this.rewrite(id, (current) =>
      current === undefined
        ? undefined
        : { ...current, count: Math.max(0, current.count - failures) },
    );
  }

  /** Compare-and-set update of one count; `next` returning undefined leaves it alone. */
  private async rewrite(
    id: string,
    next: (current: LoginFailureRecord | undefined, now: number) => LoginFailureRecord | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current: StoredRecord<LoginFailureRecord> | undefined = await this.failures.get(id);
      const now = this.runtime.now();
      const value = next(current?.value, now);
      if (value === undefined) return;
      const waitSeconds = Math.max(0, Math.ceil((value.lockedUntil - now) / 1000));
      const ttlSeconds = this.policy.windowSeconds + waitSeconds;
      try {
        if (current) {
          await this.failures.update(id, value, {
            resourceVersion: current.resourceVersion,
            ttlSeconds,
          });
        } else {
          await this.failures.create(id, value, { ttlSeconds });
        }
        return;
      } catch (err) {
        const raced = hasErrorCode(err, 'CONFLICT') || hasErrorCode(err, 'NOT_FOUND');
        if (!raced || attempt >= 8) throw err;
      }
    }
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
