import type { Principal, ProviderLogin } from './principal.js';

/**
 * A provider that authenticates by sending the browser away and back (GitHub, generic OIDC).
 * It knows nothing of HTTP routing: the `/v1/auth/{provider}/start` handler calls `start`,
 * keeps `pending` server-side under `state` until `expiresAt` and redirects to
 * `authorizationUrl`; the `/callback` handler takes (and deletes) the pending record named by
 * the callback's `state` and calls `finish`.
 */

export type RedirectProviderName = 'github' | 'oidc';

/**
 * What must survive between `start` and `finish`. It holds secrets (the PKCE verifier) so it
 * stays on the server and is used once; only `state` travels through the browser.
 */
export interface PendingRedirectLogin {
  readonly provider: RedirectProviderName;
  /** The random `state` parameter (also the key the pending record is stored under). */
  readonly state: string;
  /** The callback URL given to `start`; the code exchange must repeat it exactly. */
  readonly redirectUri: string;
  /** Epoch milliseconds of `start`. */
  readonly createdAt: number;
  /** Epoch milliseconds after which `finish` refuses this record. */
  readonly expiresAt: number;
  /** PKCE (RFC 7636) code verifier, when the provider uses PKCE. */
  readonly codeVerifier?: string;
  /** OIDC `nonce` the ID token must carry. */
  readonly nonce?: string;
}

export interface RedirectStartInput {
  /** Absolute URL of Paddock's callback endpoint, as registered at the provider. */
  readonly redirectUri: string;
}

export interface RedirectStart {
  /** Where to send the browser (HTTP 302). */
  readonly authorizationUrl: string;
  /** Same as `pending.state`, for convenience as a storage key. */
  readonly state: string;
  readonly pending: PendingRedirectLogin;
}

export interface RedirectFinishInput {
  /** Every query parameter of the callback request (`code`, `state`, or `error`, ...). */
  readonly callbackParams: URLSearchParams | Readonly<Record<string, string | undefined>>;
  /**
   * The record stored at `start` under the callback's `state`, or `undefined` when none was
   * found (unknown, already used or expired): `finish` then refuses with `reason: bad_state`.
   */
  readonly pending: PendingRedirectLogin | undefined;
}

/** A successful redirect login. */
export interface RedirectLogin extends ProviderLogin {
  /**
   * Credential for later group refreshes (GitHub access token, OIDC refresh token), already
   * sealed by the SecretBox and bound to the user principal. Store it with the user and pass it
   * back to `refreshGroups`; absent when the provider issued none.
   */
  readonly refreshMaterial?: string;
}

/**
 * Result of asking the provider again about a user. Assignable to `GroupRefresh`; an OIDC
 * provider may rotate its refresh token, so `refreshMaterial`, when present, replaces the
 * stored one.
 */
export type RedirectGroupRefresh =
  | {
      readonly status: 'ok';
      readonly groups: readonly Principal[];
      readonly refreshMaterial?: string;
    }
  | { readonly status: 'revoked'; readonly reason: string };

/**
 * Errors are `PaddockError`s: `UNAUTHENTICATED` with `reason` `bad_state`, `consent_denied`
 * (the user refused at the provider), `provider_error`, `bad_code`, `bad_id_token`;
 * `FORBIDDEN` with `reason: access_denied` when the user is outside the allowed orgs/teams;
 * `UPSTREAM_UNAVAILABLE` / `UPSTREAM_TIMEOUT` when the provider cannot be reached, fails or is
 * rate-limiting (`details.retryAfterSeconds` when it said how long to wait).
 */
export interface RedirectProvider {
  readonly name: RedirectProviderName;
  start(input: RedirectStartInput): Promise<RedirectStart>;
  finish(input: RedirectFinishInput): Promise<RedirectLogin>;
  /**
   * Re-reads the user's groups with the stored `refreshMaterial`. Returns `revoked` only when
   * the provider itself says no: it refuses the credential, or the user left the allowed
   * orgs/teams. Without usable `refreshMaterial` it cannot ask and throws
   * `PaddockError('CONFLICT')` with `reason` `no_refresh_material` or
   * `refresh_material_unreadable`; an unreachable provider throws `UPSTREAM_*`.
   */
  refreshGroups(user: Principal, refreshMaterial?: string): Promise<RedirectGroupRefresh>;
}
