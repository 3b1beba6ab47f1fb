/**
 * The browser redirect login (GitHub, OIDC) as the HTTP layer drives it: `start` gives the
 * provider's authorization URL and the `state` to bind to the browser; `finish` turns the
 * callback into a session. Implemented in `src/identity/oauth/redirect-login-flow.ts`.
 */
import type { LoginResult } from './identity.js';

export interface RedirectLoginStart {
  readonly authorizationUrl: string;
  readonly state: string;
  /** Epoch milliseconds after which the callback is refused. */
  readonly expiresAt: number;
}

export interface RedirectLoginFlow {
  /**
   * Fails with BAD_REQUEST `unknown_provider` for a provider that is not a redirect provider.
   * `remoteAddress` bounds how many pending logins one source may hold.
   */
  start(input: {
    provider: string;
    redirectUri: string;
    remoteAddress?: string;
  }): Promise<RedirectLoginStart>;
  finish(input: {
    provider: string;
    callbackParams: URLSearchParams;
    remoteAddress?: string;
    userAgent?: string;
  }): Promise<LoginResult>;
}
