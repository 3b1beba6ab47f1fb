/**
 * Generic OpenID Connect login (openid-client 6): discovery, authorization code flow with
 * PKCE (S256), state and nonce, configurable username/email/groups claims, and group
 * refreshes with the refresh token.
 */
import * as client from 'openid-client';
import type { Principal } from '../../domain/principal.js';
import type {
  RedirectFinishInput,
  RedirectGroupRefresh,
  RedirectLogin,
  RedirectProvider,
  RedirectStart,
  RedirectStartInput,
} from '../../domain/redirect-provider.js';
import type { SecretBox } from '../../domain/secret-box.js';
import { hasErrorCode, PaddockError } from '../../errors/index.js';
import { type IdentityRuntime, systemRuntime } from '../runtime.js';
import {
  type Claims,
  groupNames,
  mergeClaims,
  oidcGroupPrincipal,
  oidcUserPrincipal,
  subOfPrincipalId,
} from './oidc-claims.js';
import {
  type OidcProviderConfig,
  type OidcProviderConfigInput,
  parseOidcConfig,
} from './oidc-config.js';
import { type OidcStage, oidcError } from './oidc-errors.js';
import { checkCallback, newPendingLogin, pkceS256Challenge } from './pending-login.js';
import { requireRefreshMaterial, sealRefreshMaterial } from './refresh-material.js';
import type { FetchLike } from './upstream-http.js';

export interface OidcProviderOptions {
  /** Raw configuration; validated here. */
  readonly config: OidcProviderConfigInput;
  /** Seals the refresh token kept for group refreshes. */
  readonly secretBox: SecretBox;
  /** Defaults to the global `fetch`. */
  readonly fetch?: FetchLike;
  readonly runtime?: IdentityRuntime;
}

export class OidcProvider implements RedirectProvider {
  readonly name = 'oidc' as const;
  readonly config: OidcProviderConfig;
  private readonly secretBox: SecretBox;
  private readonly runtime: IdentityRuntime;
  private readonly fetchFn: FetchLike | undefined;
  private discovered: Promise<client.Configuration> | undefined;

  constructor(options: OidcProviderOptions) {
    this.config = parseOidcConfig(options.config);
    this.secretBox = options.secretBox;
    this.runtime = options.runtime ?? systemRuntime;
    this.fetchFn = options.fetch;
  }

  /**
   * The IdP's metadata, fetched once and kept; a failed discovery is not kept, so the next
   * login tries again.
   */
  discover(): Promise<client.Configuration> {
    if (this.discovered === undefined) {
      const attempt = this.runDiscovery();
      this.discovered = attempt;
      attempt.catch(() => {
        if (this.discovered === attempt) this.discovered = undefined;
      });
    }
    return this.discovered;
  }

  /** The issuer identifier as the IdP states it (what user principal ids are hashed from). */
  async issuer(): Promise<string> {
    return (await this.discover()).serverMetadata().issuer;
  }

  async start(input: RedirectStartInput): Promise<RedirectStart> {
    const config = await this.discover();
    const pending = newPendingLogin({
      provider: this.name,
      redirectUri: input.redirectUri,
      nowMs: this.runtime.now(),
      ttlSeconds: this.config.loginTimeoutSeconds,
      randomBytes: this.runtime.randomBytes,
      pkce: true,
      nonce: true,
    });
    const parameters: Record<string, string> = {
      ...this.config.extraAuthorizationParams,
      redirect_uri: pending.redirectUri,
      response_type: 'code',
      scope: this.config.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce ?? '',
      code_challenge: pkceS256Challenge(pending.codeVerifier ?? ''),
      code_challenge_method: 'S256',
    };
    if (this.config.prompt !== undefined) parameters.prompt = this.config.prompt;
    const url = client.buildAuthorizationUrl(config, parameters);
    return { authorizationUrl: url.href, state: pending.state, pending };
  }

  async finish(input: RedirectFinishInput): Promise<RedirectLogin> {
    const { params, pending } = checkCallback(this.name, input, this.runtime.now());
    const config = await this.discover();
    const callbackUrl = new URL(pending.redirectUri);
    for (const [key, value] of params) callbackUrl.searchParams.append(key, value);

    const tokens = await this.call('token', () =>
      client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      }),
    );
    const idClaims = tokens.claims();
    if (idClaims === undefined) {
      throw new PaddockError('UNAUTHENTICATED', 'the OIDC provider returned no ID token', {
        reason: 'bad_id_token',
      });
    }
    const claims = await this.withUserInfo(config, tokens.access_token, idClaims);
    const issuer = config.serverMetadata().issuer;
    const user = oidcUserPrincipal(issuer, idClaims.sub, claims, this.config.claims);
    return {
      user,
      groups: this.groupsOf(claims),
      ...(tokens.refresh_token === undefined
        ? {}
        : {
            refreshMaterial: sealRefreshMaterial(
              this.secretBox,
              this.name,
              user.id,
              tokens.refresh_token,
            ),
          }),
    };
  }

  async refreshGroups(user: Principal, refreshMaterial?: string): Promise<RedirectGroupRefresh> {
    const refreshToken = requireRefreshMaterial(
      this.secretBox,
      this.name,
      user.id,
      refreshMaterial,
    );
    const config = await this.discover();
    const sub = subOfPrincipalId(config.serverMetadata().issuer, user.id);
    if (sub === undefined) return { status: 'revoked', reason: 'issuer_changed' };

    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
    try {
      tokens = await this.call('refresh', () => client.refreshTokenGrant(config, refreshToken));
    } catch (error) {
      // invalid_grant: the refresh token expired, was revoked, or the user was removed.
      if (hasErrorCode(error, 'UNAUTHENTICATED')) {
        return { status: 'revoked', reason: 'refresh_token_refused' };
      }
      throw error;
    }
    const idClaims = tokens.claims();
    if (idClaims !== undefined && idClaims.sub !== sub) {
      return { status: 'revoked', reason: 'token_of_another_user' };
    }
    let claims: Claims;
    try {
      claims = await this.withUserInfo(config, tokens.access_token, idClaims ?? { sub }, sub);
    } catch (error) {
      if (hasErrorCode(error, 'UNAUTHENTICATED')) {
        return { status: 'revoked', reason: 'userinfo_refused' };
      }
      throw error;
    }
    const current = tokens.refresh_token ?? refreshToken;
    return {
      status: 'ok',
      groups: this.groupsOf(claims),
      refreshMaterial: sealRefreshMaterial(this.secretBox, this.name, user.id, current),
    };
  }

  private groupsOf(claims: Claims): Principal[] {
    return groupNames(claims, this.config.claims.groups).map(oidcGroupPrincipal);
  }

  /** Claims of the ID token plus those of the userinfo endpoint, when configured and offered. */
  private async withUserInfo(
    config: client.Configuration,
    accessToken: string,
    idClaims: Claims & { sub: string },
    expectedSub: string = idClaims.sub,
  ): Promise<Claims> {
    if (!this.config.useUserInfo || config.serverMetadata().userinfo_endpoint === undefined) {
      return idClaims;
    }
    const userInfo = await this.call('userinfo', () =>
      client.fetchUserInfo(config, accessToken, expectedSub),
    );
    return mergeClaims(idClaims, userInfo);
  }

  private async call<T>(stage: OidcStage, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw oidcError(stage, error);
    }
  }

  private async runDiscovery(): Promise<client.Configuration> {
    const { config } = this;
    const options: client.DiscoveryRequestOptions = {
      timeout: Math.max(1, Math.ceil(config.requestTimeoutMs / 1000)),
      execute: config.dangerouslyAllowInsecureHttp ? [client.allowInsecureRequests] : [],
    };
    if (this.fetchFn !== undefined) {
      const fetchFn = this.fetchFn;
      options[client.customFetch] = (url, init) => fetchFn(url, init as RequestInit);
    }
    const auth =
      config.clientSecret === undefined
        ? client.None()
        : config.tokenEndpointAuthMethod === 'client_secret_post'
          ? client.ClientSecretPost(config.clientSecret)
          : client.ClientSecretBasic(config.clientSecret);
    const metadata: Partial<client.ClientMetadata> = {
      [client.clockTolerance]: config.clockToleranceSeconds,
    };
    return this.call('discovery', () =>
      client.discovery(new URL(config.issuerUrl), config.clientId, metadata, auth, options),
    );
  }
}
