/**
 * The first administrator of an empty Paddock: created once, with the configured bootstrap
 * password or a generated one that the caller prints once (it is never logged here).
 */
import { hasErrorCode } from '../errors/index.js';
import type { LocalPasswordProvider } from './local-provider.js';
import type { RandomBytes } from './runtime.js';
import type { UserRepository } from './user-repository.js';

export interface BootstrapAdminOptions {
  /** `PADDOCK_BOOTSTRAP_PASSWORD`; when absent a password is generated. */
  readonly password?: string;
  readonly username?: string;
  readonly randomBytes: RandomBytes;
}

export type BootstrapAdminResult =
  | { readonly created: false }
  | {
      readonly created: true;
      readonly userId: string;
      readonly username: string;
      /** Present only when generated: show it to the operator once, then forget it. */
      readonly generatedPassword?: string;
    };

/**
 * Creates the admin user if the store holds no user at all. Replicas starting together race
 * on the unique username; the loser reports `created: false`. The caller grants the admin role.
 */
export async function ensureBootstrapAdmin(
  users: UserRepository,
  local: LocalPasswordProvider,
  options: BootstrapAdminOptions,
): Promise<BootstrapAdminResult> {
  if (!(await users.isEmpty())) return { created: false };
  const username = options.username ?? 'admin';
  // 18 random bytes are 24 base64url characters (144 bits): no policy can reject that.
  const generatedPassword =
    options.password === undefined ? options.randomBytes(18).toString('base64url') : undefined;
  try {
    const user = await local.createUser({
      username,
      password: options.password ?? generatedPassword!,
      displayName: 'Default Admin',
      // A generated password was shown on a console; make its owner pick a real one.
      mustChangePassword: generatedPassword !== undefined,
    });
    return {
      created: true,
      userId: user.id,
      username,
      ...(generatedPassword === undefined ? {} : { generatedPassword }),
    };
  } catch (err) {
    if (hasErrorCode(err, 'CONFLICT')) return { created: false };
    throw err;
  }
}
