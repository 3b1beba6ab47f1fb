export { AccessEnforcer } from './access-enforcer.js';
export type { MembershipCheck } from './access-policy.js';
export { isAccessAllowed } from './access-policy.js';
export { AccountSessions, toSessionSummary } from './account-sessions.js';
export type { ApiKeyCredential, ApiKeyKind, ApiKeyServiceOptions, NewApiKey } from './api-keys.js';
export { API_KEY_PREFIX, ApiKeyService, parseApiKeyToken, toApiKeySummary } from './api-keys.js';
export type { AuthConfigAdminOptions } from './auth-config-admin.js';
export { createAuthConfigAdmin } from './auth-config-admin.js';
export type { AuthConfigSyncOptions, ProviderFactory } from './auth-config-sync.js';
export { AuthConfigSync } from './auth-config-sync.js';
export type { AuthConfigInput, AuthConfigView } from './auth-configs.js';
export { AuthConfigStore, DEFAULT_SECRET_PATHS } from './auth-configs.js';
export { unauthenticated } from './auth-errors.js';
export type { TokenAuthenticatorDeps, TokenAuthenticatorOptions } from './authenticator.js';
export { identityOf, TokenAuthenticator } from './authenticator.js';
export type { BootstrapAdminOptions, BootstrapAdminResult } from './bootstrap-admin.js';
export { ensureBootstrapAdmin } from './bootstrap-admin.js';
export type {
  ApiKeyRecord,
  AuthConfigRecord,
  GroupRefreshLeaseRecord,
  LoginFailureRecord,
  RevokedTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  UserRecord,
} from './collections.js';
export {
  apiKeysCollection,
  authConfigsCollection,
  groupRefreshLeasesCollection,
  identityCollectionSpecs,
  loginFailuresCollection,
  revokedTokensCollection,
  sessionsCollection,
  signingKeysCollection,
  usersCollection,
} from './collections.js';
export type { CredentialFailureLimitOptions } from './credential-failure-limiter.js';
export { CredentialFailureLimiter } from './credential-failure-limiter.js';
export type { Credential } from './credentials.js';
export { extractCredential } from './credentials.js';
export type { GroupRefresherDeps, RefreshOutcome, RefreshSummary } from './group-refresher.js';
export { GroupRefresher, providerUserPrincipal } from './group-refresher.js';
export type { IdentityServices, IdentityServicesOptions } from './identity-services.js';
export { createIdentityServices } from './identity-services.js';
export {
  KeyCanaries,
  type KeyCanariesOptions,
  type KeyCanaryRecord,
  type KeysVerdict,
  keyCanariesCollection,
  keysVerdict,
} from './key-canaries.js';
export type { LocalProviderOptions, NewLocalUser } from './local-provider.js';
export { badCredentials, LocalPasswordProvider, localUserPrincipal } from './local-provider.js';
export type { LoginServiceDeps, PasswordLogin } from './login-service.js';
export { LoginService } from './login-service.js';
export type { LoginAttemptKey, LoginThrottlePolicy, Sleep } from './login-throttle.js';
export { addressBucket, DEFAULT_LOGIN_THROTTLE_POLICY, LoginThrottle } from './login-throttle.js';
export type { Argon2Params } from './password-hasher.js';
export { OWASP_ARGON2_MINIMUM, PasswordHasher } from './password-hasher.js';
export type { PasswordPolicy } from './password-policy.js';
export { checkPasswordPolicy, DEFAULT_PASSWORD_POLICY } from './password-policy.js';
export { createPreferencesStore, preferencesCollection } from './preferences-store.js';
export { createPrincipalProvisioner } from './principal-provisioning.js';
export type {
  PasswordProviderEntry,
  ProviderAccess,
  ProviderEntry,
  RedirectProviderEntry,
} from './provider-dispatcher.js';
export { isRedirectEntry, ProviderDispatcher, UNRESTRICTED } from './provider-dispatcher.js';
export type { ResealFn } from './reseal.js';
export { resealCollection, resealIdentitySecrets, resealWith } from './reseal.js';
export type { Clock, IdentityRuntime, RandomBytes } from './runtime.js';
export { newUserId, systemRuntime } from './runtime.js';
export type { AesGcmSecretBoxOptions } from './secret-box.js';
export { AesGcmSecretBox, parseEncryptionKey, secretKeyId } from './secret-box.js';
export { loadOrCreateKeyFile } from './secret-key-file.js';
export type { SessionLimits, SessionPolicy } from './session-policy.js';
export {
  fixedSessionPolicy,
  MAX_SESSION_TTL_SECONDS,
  settingsSessionPolicy,
} from './session-policy.js';
export type { NewSessionRecord, SessionRef } from './session-registry.js';
export { SessionRegistry } from './session-registry.js';
export type { SessionServiceOptions } from './session-service.js';
export { SessionService } from './session-service.js';
export type { SessionClaims, SessionTokenOptions } from './session-tokens.js';
export {
  MAX_TOKEN_BYTES,
  SESSION_TOKEN_TYPE,
  SessionTokenCodec,
} from './session-tokens.js';
export type { SigningKey, SigningKeyRingOptions } from './signing-key-ring.js';
export { SESSION_ALGORITHM, SigningKeyRing } from './signing-key-ring.js';
export { StoreCredentialEvents } from './store-credential-events.js';
export { TokenCache } from './token-cache.js';
export type { UserAdminDeps } from './user-admin-service.js';
export {
  generatePassword,
  subjectOfUser,
  toUserView,
  UserAdminService,
} from './user-admin-service.js';
export type { NewUser } from './user-repository.js';
export { localPrincipalId, UserRepository } from './user-repository.js';
