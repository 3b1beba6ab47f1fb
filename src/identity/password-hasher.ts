/**
 * argon2id password hashing with a floor at OWASP's minimum (m=19 MiB, t=2, p=1) and a check
 * that tells when a stored hash was made with weaker parameters than configured now.
 */
import { Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';
import { PaddockError } from '../errors/index.js';

export interface Argon2Params {
  readonly memoryCostKiB: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

export const OWASP_ARGON2_MINIMUM: Argon2Params = {
  memoryCostKiB: 19456,
  timeCost: 2,
  parallelism: 1,
};

export class PasswordHasher {
  readonly params: Argon2Params;
  private dummyHash: Promise<string> | undefined;

  constructor(params: Argon2Params = OWASP_ARGON2_MINIMUM) {
    if (
      params.memoryCostKiB < OWASP_ARGON2_MINIMUM.memoryCostKiB ||
      params.timeCost < OWASP_ARGON2_MINIMUM.timeCost ||
      params.parallelism !== 1
    ) {
      throw new PaddockError(
        'CONFIG_INVALID',
        'argon2id parameters must be at least m=19456 KiB, t=2, with p=1',
        { reason: 'weak_password_hashing' },
      );
    }
    this.params = params;
  }

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.params.memoryCostKiB,
      timeCost: this.params.timeCost,
      parallelism: this.params.parallelism,
    });
  }

  /** False for a wrong password and for a stored hash that cannot be parsed. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }

  /**
   * Spends the time of one verification and returns false: used when the user is unknown so
   * that the answer takes as long as for a known user with a wrong password.
   */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('paddock-dummy-password-for-timing');
    await this.verify(await this.dummyHash, password);
    return false;
  }

  /** True when `storedHash` is not argon2id or uses less memory or time than configured. */
  needsRehash(storedHash: string): boolean {
    try {
      const used = parseOptions(storedHash);
      return (
        used.algorithm !== Algorithm.Argon2id ||
        used.memoryCost < this.params.memoryCostKiB ||
        used.timeCost < this.params.timeCost ||
        used.parallelism !== this.params.parallelism
      );
    } catch {
      return true;
    }
  }
}
