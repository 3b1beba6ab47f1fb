/** What a new local password must satisfy. */
import { PaddockError } from '../errors/index.js';

export interface PasswordPolicy {
  readonly minLength: number;
  /** Bounds the work one login can cause. */
  readonly maxLength: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: 12, maxLength: 1024 };

/** Throws VALIDATION_FAILED (reason `password_policy`) naming the first rule broken. */
export function checkPasswordPolicy(
  password: string,
  policy: PasswordPolicy,
  context: { username?: string; previousPassword?: string } = {},
): void {
  const fail = (message: string) =>
    new PaddockError('VALIDATION_FAILED', message, { reason: 'password_policy' });
  // Count code points, not UTF-16 units, so an emoji is one character as a person expects.
  const length = [...password].length;
  if (length < policy.minLength) {
    throw fail(`password must be at least ${policy.minLength} characters long`);
  }
  if (length > policy.maxLength) {
    throw fail(`password must be at most ${policy.maxLength} characters long`);
  }
  if (context.username !== undefined && password.toLowerCase() === context.username.toLowerCase()) {
    throw fail('password must not be the username');
  }
  if (context.previousPassword !== undefined && password === context.previousPassword) {
    throw fail('new password must differ from the current one');
  }
}
