/**
 * Password login end to end: throttle check, provider, access mode, user linking, session.
 * The HTTP route (`POST /v1/auth/login`) and the GraphQL mutation both call `login`.
 */
import type { LoginAuditEvent, LoginResult } from '../domain/identity.js';
import type { ProviderLogin, ProviderName } from '../domain/principal.js';
import type {
  PendingRedirectLogin,
  RedirectFinishInput,
  RedirectLogin,
} from '../domain/redirect-provider.js';
import { hasErrorCode, isPaddockError, PaddockError } from '../errors/index.js';
import { isAccessAllowed, type MembershipCheck } from './access-policy.js';
import type { ApiKeyService } from './api-keys.js';
import type { UserRecord } from './collections.js';
import { badCredentials, type LocalPasswordProvider } from './local-provider.js';
import type { LoginThrottle } from './login-throttle.js';
import type { ProviderDispatcher, ProviderEntry } from './provider-dispatcher.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import type { SessionService } from './session-service.js';
import { createLinkedUser, PROVIDER_DISABLE_REASONS, withLogin } from './user-linking.js';
import type { UserRepository } from './user-repository.js';

export interface LoginServiceDeps {
  readonly users: UserRepository;
  readonly providers: ProviderDispatcher;
  readonly sessions: SessionService;
  readonly throttle: LoginThrottle;
  /** Needed for `changePassword`. */
  readonly local?: LocalPasswordProvider;
  /** Needed for `changePassword` with `revokeApiKeys`. */
  readonly apiKeys?: Pick<ApiKeyService, 'revokeAllOf'>;
  /** For `restricted` access: is any of these principals a cluster or project member? */
  readonly hasAnyMembership: MembershipCheck;
  /** One call per attempt; must not throw (failures are swallowed). */
  readonly audit?: (event: LoginAuditEvent) => void;
  readonly runtime?: IdentityRuntime;
}

export interface PasswordLogin {
  readonly provider: string;
  readonly username: string;
  readonly password: string;
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

/** Where a login came from, recorded with the session for the user's session list. */
interface LoginSource {
  readonly remoteAddress?: string;
  readonly userAgent?: string;
}

function sourceOf(input: LoginSource): LoginSource {
  return {
    ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
    ...(input.userAgent === undefined ? {} : { userAgent: input.userAgent }),
  };
}

const MAX_USERNAME = 256;
const MAX_PASSWORD = 4096;

function accessDenied(): PaddockError {
  return new PaddockError('FORBIDDEN', 'this account is not allowed to use Paddock', {
    reason: 'access_denied',
  });
}

export class LoginService {
  private readonly deps: LoginServiceDeps;
  private readonly runtime: IdentityRuntime;

  constructor(deps: LoginServiceDeps) {
    this.deps = deps;
    this.runtime = deps.runtime ?? systemRuntime;
  }

  async login(input: PasswordLogin): Promise<LoginResult> {
    const base = {
      provider: String(input.provider).slice(0, 64),
      username: String(input.username).slice(0, MAX_USERNAME),
      ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
    };
    const audit = (outcome: LoginAuditEvent['outcome'], reason?: string, userId?: string) =>
      this.audit({
        ...base,
        at: this.runtime.now(),
        outcome,
        ...(reason ? { reason } : {}),
        ...(userId ? { userId } : {}),
      });

    const entry = this.deps.providers.get(input.provider);
    if (!entry) {
      audit('failure', 'unknown_provider');
      throw new PaddockError('BAD_REQUEST', 'unknown login provider', {
        reason: 'unknown_provider',
      });
    }
    const username = typeof input.username === 'string' ? input.username.trim() : '';
    const password = typeof input.password === 'string' ? input.password : '';
    // Refused before the throttle or any bind: an empty password would be an anonymous LDAP bind.
    if (
      username.length === 0 ||
      password.length === 0 ||
      username.length > MAX_USERNAME ||
      password.length > MAX_PASSWORD
    ) {
      audit('failure', 'bad_input');
      throw badCredentials();
    }
    const attempt = { ...base, username };
    try {
      await this.deps.throttle.check(attempt);
    } catch (err) {
      audit(
        hasErrorCode(err, 'TOO_MANY_REQUESTS') ? 'throttled' : 'error',
        isPaddockError(err) ? err.reason : 'error',
      );
      throw err;
    }

    let vouched: ProviderLogin;
    try {
      vouched = await entry.provider.login(username, password);
    } catch (err) {
      if (hasErrorCode(err, 'UNAUTHENTICATED')) {
        if (err.reason !== 'user_disabled') await this.deps.throttle.recordFailure(attempt);
        audit('failure', err.reason ?? 'bad_credentials');
        throw err.reason === 'user_disabled' ? err : badCredentials();
      }
      audit('error', isPaddockError(err) ? (err.reason ?? err.code) : 'provider_error');
      throw err;
    }
    await this.deps.throttle.recordSuccess(attempt);
    return this.complete(entry, vouched, audit, sourceOf(input));
  }

  /**
   * Finishes a GitHub/OIDC login: the provider checks the callback against the pending record
   * (taken from the pending-login store by `state`), then the user is linked and a session
   * issued exactly as for a password login.
   */
  async finishRedirectLogin(input: {
    provider: string;
    callbackParams: RedirectFinishInput['callbackParams'];
    pending: PendingRedirectLogin | undefined;
    remoteAddress?: string;
    userAgent?: string;
  }): Promise<LoginResult> {
    let username = '';
    const audit = (outcome: LoginAuditEvent['outcome'], reason?: string, userId?: string) =>
      this.audit({
        at: this.runtime.now(),
        provider: String(input.provider).slice(0, 64),
        username,
        ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
        outcome,
        ...(reason ? { reason } : {}),
        ...(userId ? { userId } : {}),
      });
    const entry = this.deps.providers.redirect(input.provider);
    if (!entry) {
      audit('failure', 'unknown_provider');
      throw new PaddockError('BAD_REQUEST', 'unknown login provider', {
        reason: 'unknown_provider',
      });
    }
    let vouched: RedirectLogin;
    try {
      vouched = await entry.provider.finish({
        callbackParams: input.callbackParams,
        pending: input.pending,
      });
    } catch (err) {
      const reason = isPaddockError(err) ? (err.reason ?? err.code) : 'provider_error';
      audit(
        hasErrorCode(err, 'FORBIDDEN')
          ? 'denied'
          : hasErrorCode(err, 'UNAUTHENTICATED')
            ? 'failure'
            : 'error',
        reason,
      );
      throw err;
    }
    username = vouched.user.name;
    return this.complete(entry, vouched, audit, sourceOf(input));
  }

  private async complete(
    entry: ProviderEntry,
    vouched: ProviderLogin & Pick<RedirectLogin, 'refreshMaterial'>,
    audit: (outcome: LoginAuditEvent['outcome'], reason?: string, userId?: string) => void,
    source: LoginSource,
  ): Promise<LoginResult> {
    let user: UserRecord;
    try {
      user = await this.linkUser(entry, vouched);
    } catch (err) {
      audit(
        hasErrorCode(err, 'FORBIDDEN') ? 'denied' : 'failure',
        isPaddockError(err) ? err.reason : 'error',
      );
      throw err;
    }
    const { token, claims } = await this.deps.sessions.create({
      userId: user.id,
      provider: entry.provider.name,
      ...source,
    });
    audit('success', undefined, user.id);
    return {
      token,
      userId: user.id,
      username: user.username,
      expiresAt: claims.expiresAt,
      mustChangePassword: user.mustChangePassword,
    };
  }

  /** Ends the session of `token` everywhere; an already unusable token is fine. */
  logout(token: string): Promise<boolean> {
    return this.deps.sessions.logout(token);
  }

  /**
   * A local user's own password change: signs every session out (and with `revokeApiKeys`
   * deletes every API key and kubeconfig token) and returns a fresh session for the caller,
   * without the must-change-password flag.
   */
  async changePassword(input: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    remoteAddress?: string;
    userAgent?: string;
    revokeApiKeys?: boolean;
  }): Promise<LoginResult> {
    const { local, users, throttle } = this.deps;
    if (input.revokeApiKeys && !this.deps.apiKeys) {
      throw new PaddockError('INTERNAL', 'API keys are not configured', {
        reason: 'not_configured',
      });
    }
    if (!local)
      throw new PaddockError('BAD_REQUEST', 'local accounts are not enabled', {
        reason: 'not_local_user',
      });
    const user = await users.get(input.userId);
    if (!user) throw new PaddockError('NOT_FOUND', 'user not found');
    const attempt = {
      provider: 'local',
      username: user.username,
      ...(input.remoteAddress === undefined ? {} : { remoteAddress: input.remoteAddress }),
    };
    // Guessing the current password through this door is throttled like a login.
    await throttle.check(attempt);
    try {
      await local.changePassword(input.userId, input.currentPassword, input.newPassword);
    } catch (err) {
      if (isPaddockError(err) && err.reason === 'bad_current_password')
        await throttle.recordFailure(attempt);
      throw err;
    }
    // Every session, the caller's included, ends: through the revocation list (so open
    // streams close at once) and by the cut-off (a session issued meanwhile ends too). The
    // fresh session is issued after both.
    await users.revokeAllSessions(input.userId);
    await this.deps.sessions.registry.revokeAllOf(input.userId, 'password_changed');
    if (input.revokeApiKeys) await this.deps.apiKeys?.revokeAllOf(input.userId);
    const { token, claims } = await this.deps.sessions.create({
      userId: user.id,
      provider: 'local',
      ...sourceOf(input),
    });
    return {
      token,
      userId: user.id,
      username: user.username,
      expiresAt: claims.expiresAt,
      mustChangePassword: false,
    };
  }

  private async linkUser(
    entry: ProviderEntry,
    vouched: ProviderLogin & Pick<RedirectLogin, 'refreshMaterial'>,
  ): Promise<UserRecord> {
    const { users, hasAnyMembership } = this.deps;
    const provider: ProviderName = entry.provider.name;
    const existing = await users.findByPrincipal(vouched.user.id);
    const principalIds = [
      ...(existing ? [existing.id, ...existing.principalIds] : [vouched.user.id]),
      ...vouched.groups.map((g) => g.id),
    ];
    if (!(await isAccessAllowed(entry.access, principalIds, hasAnyMembership)))
      throw accessDenied();
    if (!existing) return createLinkedUser(users, provider, vouched, this.runtime);
    if (!existing.enabled && !PROVIDER_DISABLE_REASONS.includes(existing.disabledReason ?? '')) {
      throw new PaddockError('UNAUTHENTICATED', 'account disabled', { reason: 'user_disabled' });
    }
    const now = this.runtime.now();
    return users.mutate(existing.id, (u) => {
      const updated = withLogin(u, vouched, now);
      if (u.enabled || !PROVIDER_DISABLE_REASONS.includes(u.disabledReason ?? '')) return updated;
      // The provider vouches for the user again, so a provider-side revocation is over.
      const { disabledReason: _lifted, ...rest } = updated;
      return { ...rest, enabled: true };
    });
  }

  private audit(event: LoginAuditEvent): void {
    try {
      this.deps.audit?.(event);
    } catch {
      // An audit sink failure must not change the login's outcome.
    }
  }
}
