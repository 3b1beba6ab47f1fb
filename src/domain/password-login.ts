/**
 * Password login and logout as entry points call them (`POST /v1/auth/login` and the GraphQL
 * `login` mutation alike). `LoginService` from `src/identity` fits this shape.
 */
import type { LoginResult } from './identity.js';

export interface PasswordLoginRequest {
  /** The provider config name, e.g. `local` or `openldap`. */
  readonly provider: string;
  readonly username: string;
  readonly password: string;
  readonly remoteAddress?: string;
  /** Shown in the user's session list. */
  readonly userAgent?: string;
}

export interface PasswordLogin {
  /** A session for the user, or UNAUTHENTICATED / FORBIDDEN / TOO_MANY_REQUESTS. */
  login(input: PasswordLoginRequest): Promise<LoginResult>;
  /** Ends the session of `token` everywhere; false when it was no usable session. */
  logout(token: string): Promise<boolean>;
}
