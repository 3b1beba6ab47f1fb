/**
 * Brute-force protection: failed logins are counted per account and per source address in the
 * store (so every replica sees them); past a few free attempts each further failure doubles the
 * wait, up to a temporary lockout. Checked BEFORE a provider is asked, so a locked account
 * causes no LDAP bind at all.
 */
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Collection, Store, StoredRecord } from '../domain/store.js';
import { hasErrorCode, PaddockError } from '../errors/index.js';
import { type LoginFailureRecord, loginFailuresCollection } from './collections.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';

export interface LoginThrottlePolicy {
  /** Failures of one account before any wait is imposed. */
  readonly accountFreeAttempts: number;
  /** Failures from one address (any account) before any wait; higher, NATs share addresses. */
  readonly addressFreeAttempts: number;
  /** Wait after the first failure beyond the free ones; doubles with each further failure. */
  readonly baseDelaySeconds: number;
  /** The longest wait: the temporary lockout. */
  readonly maxDelaySeconds: number;
  /** Failures are forgotten after this long without a new one. */
  readonly windowSeconds: number;
}

export const DEFAULT_LOGIN_THROTTLE_POLICY: LoginThrottlePolicy = {
  accountFreeAttempts: 5,
  addressFreeAttempts: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 900,
  windowSeconds: 900,
};

export interface LoginAttemptKey {
  readonly provider: string;
  readonly username: string;
  readonly remoteAddress?: string;
}

/**
 * The address as counted: IPv4-mapped IPv6 as plain IPv4, and IPv6 by its /64 (one host
 * usually owns a whole /64, so counting single addresses would be trivially evaded).
 */
export function addressBucket(address: string): string | undefined {
  const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIPv4(plain)) return plain;
  if (!isIPv6(plain)) return undefined;
  const withoutZone = plain.split('%')[0]!;
  const [head = '', tail = ''] = withoutZone.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = withoutZone.includes('::') ? (tail ? tail.split(':') : []) : [];
  const missing = 8 - headParts.length - tailParts.length;
  const groups = [...headParts, ...Array<string>(Math.max(0, missing)).fill('0'), ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

function throttled(retryAfterSeconds: number): PaddockError {
  return new PaddockError('TOO_MANY_REQUESTS', 'too many failed logins; try again later', {
    reason: 'login_throttled',
    details: { retryAfterSeconds },
  });
}

export class LoginThrottle {
  readonly policy: LoginThrottlePolicy;
  private readonly failures: Collection<LoginFailureRecord>;
  private readonly runtime: IdentityRuntime;

  constructor(
    store: Store,
    policy: Partial<LoginThrottlePolicy> = {},
    runtime: IdentityRuntime = systemRuntime,
  ) {
    this.failures = store.collection(loginFailuresCollection);
    this.policy = { ...DEFAULT_LOGIN_THROTTLE_POLICY, ...policy };
    this.runtime = runtime;
  }

  /** Throws TOO_MANY_REQUESTS (with `retryAfterSeconds`) while the account or address waits. */
  async check(attempt: LoginAttemptKey): Promise<void> {
    const records = await Promise.all(this.keysOf(attempt).map(({ id }) => this.failures.get(id)));
    const now = this.runtime.now();
    const until = Math.max(0, ...records.map((r) => r?.value.lockedUntil ?? 0));
    if (until > now) throw throttled(Math.ceil((until - now) / 1000));
  }

  async recordFailure(attempt: LoginAttemptKey): Promise<void> {
    await Promise.all(this.keysOf(attempt).map(({ id, free }) => this.increment(id, free)));
  }

  /** A successful login clears the account's count (the address keeps its own). */
  async recordSuccess(attempt: LoginAttemptKey): Promise<void> {
    await this.failures.delete(this.accountKey(attempt));
  }

  private keysOf(attempt: LoginAttemptKey): { id: string; free: number }[] {
    const keys = [{ id: this.accountKey(attempt), free: this.policy.accountFreeAttempts }];
    const bucket =
      attempt.remoteAddress === undefined ? undefined : addressBucket(attempt.remoteAddress);
    if (bucket !== undefined)
      keys.push({ id: `addr-${digest(bucket)}`, free: this.policy.addressFreeAttempts });
    return keys;
  }

  private accountKey(attempt: LoginAttemptKey): string {
    // Hashed: usernames are attacker-chosen text; the store id stays short and plain.
    return `acct-${digest(`${attempt.provider}\0${attempt.username.trim().toLowerCase()}`)}`;
  }

  private async increment(id: string, free: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current: StoredRecord<LoginFailureRecord> | undefined = await this.failures.get(id);
      const now = this.runtime.now();
      const count = (current?.value.count ?? 0) + 1;
      const delaySeconds =
        count <= free
          ? 0
          : Math.min(
              this.policy.maxDelaySeconds,
              this.policy.baseDelaySeconds * 2 ** (count - free - 1),
            );
      const next: LoginFailureRecord = {
        count,
        firstFailureAt: current?.value.firstFailureAt ?? now,
        lastFailureAt: now,
        lockedUntil: Math.max(current?.value.lockedUntil ?? 0, now + delaySeconds * 1000),
      };
      const ttlSeconds = this.policy.windowSeconds + delaySeconds;
      try {
        if (current) {
          await this.failures.update(id, next, {
            resourceVersion: current.resourceVersion,
            ttlSeconds,
          });
        } else {
          await this.failures.create(id, next, { ttlSeconds });
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
