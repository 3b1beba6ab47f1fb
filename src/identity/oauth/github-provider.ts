/**
 * GitHub (OAuth app) login for github.com and GitHub Enterprise Server: the authorize
 * redirect, the callback's code exchange, and the user's organizations and teams as groups.
 */
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
import { GitHubApi } from './github-api.js';
import {
  type GitHubProviderConfig,
  type GitHubProviderConfigInput,
  githubEndpoints,
  parseGitHubConfig,
} from './github-config.js';
import {
  githubGroupPrincipals,
  githubUserPrincipal,
  passesRestriction,
} from './github-principals.js';
import { checkCallback, newPendingLogin, pkceS256Challenge } from './pending-login.js';
import { requireRefreshMaterial, sealRefreshMaterial } from './refresh-material.js';
import type { FetchLike } from './upstream-http.js';

export interface GitHubProviderOptions {
  /** Raw configuration; validated here. */
  readonly config: GitHubProviderConfigInput;
  /** Seals the access token kept for group refreshes. */
  readonly secretBox: SecretBox;
  /** Defaults to the global `fetch`. */
  readonly fetch?: FetchLike;
  readonly runtime?: IdentityRuntime;
}

export class GitHubProvider implements RedirectProvider {
  readonly name = 'github' as const;
  readonly config: GitHubProviderConfig;
  private readonly api: GitHubApi;
  private readonly authorizeUrl: string;
  private readonly secretBox: SecretBox;
  private readonly runtime: IdentityRuntime;

  constructor(options: GitHubProviderOptions) {
    this.config = parseGitHubConfig(options.config);
    this.secretBox = options.secretBox;
    this.runtime = options.runtime ?? systemRuntime;
    const endpoints = githubEndpoints(this.config);
    this.authorizeUrl = endpoints.authorizeUrl;
    this.api = new GitHubApi({
      tokenUrl: endpoints.tokenUrl,
      apiBaseUrl: endpoints.apiBaseUrl,
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      timeoutMs: this.config.requestTimeoutMs,
      maxPages: this.config.maxPages,
      now: this.runtime.now,
    });
  }

  async start(input: RedirectStartInput): Promise<RedirectStart> {
    const pending = newPendingLogin({
      provider: this.name,
      redirectUri: input.redirectUri,
      nowMs: this.runtime.now(),
      ttlSeconds: this.config.loginTimeoutSeconds,
      randomBytes: this.runtime.randomBytes,
      pkce: this.config.usePkce,
      nonce: false,
    });
    const url = new URL(this.authorizeUrl);
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('redirect_uri', pending.redirectUri);
    url.searchParams.set('scope', this.config.scopes.join(' '));
    url.searchParams.set('state', pending.state);
    if (pending.codeVerifier !== undefined) {
      url.searchParams.set('code_challenge', pkceS256Challenge(pending.codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    return { authorizationUrl: url.href, state: pending.state, pending };
  }

  async finish(input: RedirectFinishInput): Promise<RedirectLogin> {
    const { pending, code } = checkCallback(this.name, input, this.runtime.now());
    const { accessToken } = await this.api.exchangeCode({
      clientId: this.config.clientId,
      clientSecret: this.config.clientSecret,
      code,
      redirectUri: pending.redirectUri,
      ...(pending.codeVerifier === undefined ? {} : { codeVerifier: pending.codeVerifier }),
    });
    const githubUser = await this.api.getUser(accessToken);
    const email = githubUser.email ?? (await this.api.getPrimaryEmail(accessToken)) ?? undefined;
    const user = githubUserPrincipal(githubUser, email);
    const groups = await this.readGroups(accessToken);
    if (!passesRestriction(this.config, groups)) {
      throw new PaddockError(
        'FORBIDDEN',
        'this GitHub account is not a member of an organization or team allowed to log in',
        { reason: 'access_denied', details: { provider: this.name, user: user.name } },
      );
    }
    return {
      user,
      groups,
      refreshMaterial: sealRefreshMaterial(this.secretBox, this.name, user.id, accessToken),
    };
  }

  async refreshGroups(user: Principal, refreshMaterial?: string): Promise<RedirectGroupRefresh> {
    const accessToken = requireRefreshMaterial(this.secretBox, this.name, user.id, refreshMaterial);
    try {
      const githubUser = await this.api.getUser(accessToken);
      if (githubUserPrincipal(githubUser).id !== user.id) {
        return { status: 'revoked', reason: 'token_of_another_user' };
      }
      const groups = await this.readGroups(accessToken);
      if (!passesRestriction(this.config, groups)) {
        return { status: 'revoked', reason: 'not_in_allowed_orgs_or_teams' };
      }
      return { status: 'ok', groups };
    } catch (error) {
      // 401: the user revoked the app's authorization, or an admin removed the app.
      if (hasErrorCode(error, 'UNAUTHENTICATED')) {
        return { status: 'revoked', reason: 'token_revoked' };
      }
      throw error;
    }
  }

  private async readGroups(accessToken: string): Promise<Principal[]> {
    const [orgs, teams] = await Promise.all([
      this.api.listOrgs(accessToken),
      this.api.listTeams(accessToken),
    ]);
    return githubGroupPrincipals(orgs, teams);
  }
}
