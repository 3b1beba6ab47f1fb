/**
 * Wires identity's pieces together for the composition root (`src/main.ts`), which picks the
 * store, the secret box and the extra providers (LDAP, GitHub, OIDC) and registers them on
 * `providers`.
 */

import type { LoginAuditEvent } from '../domain/identity.js';
import type { SecretBox } from '../domain/secret-box.js';
import type { SettingsReader } from '../domain/settings.js';
import type { Store } from '../domain/store.js';
import type { UserRights } from '../domain/user-admin.js';
import { AccessEnforcer } from './access-enforcer.js';
import type { MembershipCheck } from './access-policy.js';
import { AccountSessions } from './account-sessions.js';
import { ApiKeyService } from './api-keys.js';
import { AuthConfigSync, type ProviderFactory } from './auth-config-sync.js';
import { AuthConfigStore } from './auth-configs.js';
import { TokenAuthenticator } from './authenticator.js';
import { type BootstrapAdminResult, ensureBootstrapAdmin } from './bootstrap-admin.js';
import type { CredentialFailureLimitOptions } from './credential-failure-limiter.js';
import { GroupRefresher } from './group-refresher.js';
import { LocalPasswordProvider } from './local-provider.js';
import { LoginService } from './login-service.js';
import { LoginThrottle, type LoginThrottlePolicy } from './login-throttle.js';
import { type Argon2Params, PasswordHasher } from './password-hasher.js';
import type { PasswordPolicy } from './password-policy.js';
import { createPrincipalProvisioner } from './principal-provisioning.js';
import { type ProviderAccess, ProviderDispatcher, UNRESTRICTED } from './provider-dispatcher.js';
import { type IdentityRuntime, systemRuntime } from './runtime.js';
import {
  fixedSessionPolicy,
  MAX_SESSION_TTL_SECONDS,
  settingsSessionPolicy,
} from './session-policy.js';
import { SessionService } from './session-service.js';
import { SessionTokenCodec } from './session-tokens.js';
import { SigningKeyRing } from './signing-key-ring.js';
import { UserAdminService } from './user-admin-service.js';
import { UserRepository } from './user-repository.js';

export interface IdentityServicesOptions {
  readonly store: Store;
  readonly secretBox: SecretBox;
  /** 32+ random bytes (config or `loadOrCreateKeyFile(<dataDir>/api-key-pepper)`). */
  readonly apiKeyPepper: Buffer;
  /** Session `iss`, e.g. Paddock's external URL. */
  readonly issuer: string;
  /** Session `aud`; default `paddock`. */
  readonly audience?: string;
  /** Default 16 hours; the `auth-user-session-ttl-minutes` setting overrides it. */
  readonly sessionTtlSeconds?: number;
  /** Default off; the `auth-user-session-idle-ttl-minutes` setting overrides it. */
  readonly sessionIdleTtlSeconds?: number;
  /** Where the session settings are read; without it the two values above apply as they are. */
  readonly settings?: SettingsReader;
  readonly clockToleranceSeconds?: number;
  readonly signingKeyRotateAfterSeconds?: number;
  readonly argon2?: Argon2Params;
  readonly passwordPolicy?: PasswordPolicy;
  readonly loginThrottle?: Partial<LoginThrottlePolicy>;
  readonly localAccess?: ProviderAccess;
  readonly tokenCache?: { readonly maxEntries?: number; readonly maxAgeMs?: number };
  /** Per-address limit on guessed or forged credentials; `false` turns it off. */
  readonly credentialFailureLimit?: CredentialFailureLimitOptions | false;
  /** Background group refresh period; default one minute. */
  readonly groupRefreshIntervalMs?: number;
  readonly hasAnyMembership: MembershipCheck;
  /** Builds OpenLDAP/AD/GitHub/OIDC providers from their stored auth configs. */
  readonly providerFactories?: Readonly<Partial<Record<string, ProviderFactory>>>;
  readonly audit?: (event: LoginAuditEvent) => void;
  readonly onBackgroundError?: (err: unknown) => void;
  readonly runtime?: IdentityRuntime;
}

export interface IdentityServices {
  readonly users: UserRepository;
  readonly local: LocalPasswordProvider;
  readonly providers: ProviderDispatcher;
  readonly keyRing: SigningKeyRing;
  readonly sessions: SessionService;
  /** Everyone's own sessions (`mySessions`, sign out everywhere). */
  readonly accountSessions: AccountSessions;
  readonly apiKeys: ApiKeyService;
  readonly authenticator: TokenAuthenticator;
  readonly login: LoginService;
  readonly throttle: LoginThrottle;
  readonly groupRefresher: GroupRefresher;
  readonly authConfigs: AuthConfigStore;
  readonly authConfigSync: AuthConfigSync;
  /** Administrators' user management, deciding who may act on whom with `rights`. */
  createUserAdmin(rights: UserRights): UserAdminService;
  /** Applies changed access modes to the users already in (for `createAuthConfigAdmin`). */
  createAccessEnforcer(rights: Pick<UserRights, 'isAdmin'>): AccessEnforcer;
  /** Finds or makes the user of a directory principal, for binding users who never logged in. */
  readonly provisionUser: (principalId: string) => Promise<string | undefined>;
  /** Creates the admin on an empty store (see `ensureBootstrapAdmin`). */
  bootstrapAdmin(password?: string): Promise<BootstrapAdminResult>;
  /** Loads signing keys and auth configs, follows the change feed, starts the group refresh. */
  start(): Promise<void>;
  close(): void;
}

export function createIdentityServices(options: IdentityServicesOptions): IdentityServices {
  const runtime = options.runtime ?? systemRuntime;
  const { store } = options;
  const sessionTtlSeconds = options.sessionTtlSeconds ?? 16 * 3600;
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 30;
  const users = new UserRepository(store, runtime);
  const local = new LocalPasswordProvider(users, {
    now: runtime.now,
    ...(options.argon2 === undefined ? {} : { hasher: new PasswordHasher(options.argon2) }),
    ...(options.passwordPolicy === undefined ? {} : { passwordPolicy: options.passwordPolicy }),
  });
  const providers = new ProviderDispatcher();
  providers.register({ provider: local, access: options.localAccess ?? UNRESTRICTED });
  // The settings may ask for sessions up to the maximum: tokens are capped and keys kept so long.
  const maxTtlSeconds = Math.max(sessionTtlSeconds, MAX_SESSION_TTL_SECONDS);
  const keyRing = new SigningKeyRing(store, options.secretBox, {
    retainSeconds: maxTtlSeconds + clockToleranceSeconds,
    runtime,
    ...(options.signingKeyRotateAfterSeconds === undefined
      ? {}
      : { rotateAfterSeconds: options.signingKeyRotateAfterSeconds }),
  });
  const codec = new SessionTokenCodec(keyRing, {
    issuer: options.issuer,
    audience: options.audience ?? 'paddock',
    ttlSeconds: maxTtlSeconds,
    clockToleranceSeconds,
    runtime,
  });
  const sessionDefaults = {
    ttlSeconds: sessionTtlSeconds,
    idleTtlSeconds: options.sessionIdleTtlSeconds ?? 0,
  };
  const sessions = new SessionService(store, codec, {
    runtime,
    policy:
      options.settings === undefined
        ? fixedSessionPolicy(sessionDefaults)
        : settingsSessionPolicy(options.settings, { defaults: sessionDefaults, now: runtime.now }),
  });
  const apiKeys = new ApiKeyService(store, { pepper: options.apiKeyPepper, runtime });
  const accountSessions = new AccountSessions({ users, sessions, apiKeys });
  const authenticator = new TokenAuthenticator(
    {
      store,
      users,
      sessions,
      apiKeys,
      access: { providers, hasAnyMembership: options.hasAnyMembership },
    },
    {
      runtime,
      ...(options.tokenCache?.maxEntries === undefined
        ? {}
        : { cacheMaxEntries: options.tokenCache.maxEntries }),
      ...(options.tokenCache?.maxAgeMs === undefined
        ? {}
        : { cacheMaxAgeMs: options.tokenCache.maxAgeMs }),
      ...(options.onBackgroundError === undefined
        ? {}
        : { onBackgroundError: options.onBackgroundError }),
      ...(options.credentialFailureLimit === undefined
        ? {}
        : { failureLimit: options.credentialFailureLimit }),
    },
  );
  const throttle = new LoginThrottle(store, options.loginThrottle ?? {}, runtime);
  const login = new LoginService({
    users,
    providers,
    sessions,
    throttle,
    local,
    apiKeys,
    hasAnyMembership: options.hasAnyMembership,
    runtime,
    ...(options.audit === undefined ? {} : { audit: options.audit }),
  });
  const groupRefresher = new GroupRefresher({
    store,
    users,
    providers,
    hasAnyMembership: options.hasAnyMembership,
    runtime,
    ...(options.onBackgroundError === undefined ? {} : { onError: options.onBackgroundError }),
  });

  const authConfigs = new AuthConfigStore(store, options.secretBox, { runtime });
  const authConfigSync = new AuthConfigSync(
    authConfigs,
    providers,
    options.providerFactories ?? {},
    {
      ...(options.onBackgroundError === undefined ? {} : { onError: options.onBackgroundError }),
    },
  );

  return {
    users,
    local,
    providers,
    keyRing,
    sessions,
    accountSessions,
    apiKeys,
    authenticator,
    login,
    throttle,
    groupRefresher,
    authConfigs,
    authConfigSync,
    createUserAdmin: (rights) =>
      new UserAdminService({ store, users, local, accountSessions, apiKeys, rights, runtime }),
    createAccessEnforcer: (rights) =>
      new AccessEnforcer({
        users,
        accountSessions,
        hasAnyMembership: options.hasAnyMembership,
        rights,
      }),
    provisionUser: createPrincipalProvisioner({ users, providers, runtime }),
    bootstrapAdmin: (password) =>
      ensureBootstrapAdmin(users, local, {
        randomBytes: runtime.randomBytes,
        ...(password === undefined ? {} : { password }),
      }),
    async start() {
      await keyRing.start();
      authenticator.start();
      await authConfigSync.start();
      groupRefresher.start(options.groupRefreshIntervalMs ?? 60_000);
    },
    close() {
      groupRefresher.stop();
      authConfigSync.close();
      authenticator.close();
      keyRing.close();
    },
  };
}
