/** The clock and id source of the access adapter, injectable for tests. */
import { randomBytes } from 'node:crypto';

export interface AccessRuntime {
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** A fresh id with the given prefix, e.g. `crtb-x7k2p9q`. */
  readonly newId: (prefix: string) => string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const systemAccessRuntime: AccessRuntime = {
  now: Date.now,
  newId(prefix) {
    const bytes = randomBytes(10);
    let id = '';
    for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
    return `${prefix}-${id}`;
  },
};
