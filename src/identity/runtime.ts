/**
 * The clock and randomness identity logic runs on, injectable so tests control time and ids.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

/** Epoch milliseconds. */
export type Clock = () => number;

/** Cryptographically strong random bytes. */
export type RandomBytes = (size: number) => Buffer;

export interface IdentityRuntime {
  readonly now: Clock;
  readonly randomBytes: RandomBytes;
}

export const systemRuntime: IdentityRuntime = {
  now: Date.now,
  randomBytes: (size) => nodeRandomBytes(size),
};

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random string of lowercase letters and digits. Rejection sampling keeps every character
 * equally likely (a plain modulo would favour the first 4 characters).
 */
export function randomLowerAlnum(randomBytes: RandomBytes, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 252) continue; // 252 = 7 * 36
      out += LOWER_ALNUM[byte % 36];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `u-` plus 10 random characters (~51 bits): Kubernetes-safe as an impersonated user name. */
export function newUserId(randomBytes: RandomBytes): string {
  return `u-${randomLowerAlnum(randomBytes, 10)}`;
}
