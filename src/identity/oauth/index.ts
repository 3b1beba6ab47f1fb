export type { RedirectProviderDeps } from './create-redirect-provider.js';
export { createRedirectProvider } from './create-redirect-provider.js';
export type { GitHubOrg, GitHubTeam, GitHubUser } from './github-api.js';
export { GitHubApi, nextLink } from './github-api.js';
export type {
  GitHubEndpoints,
  GitHubProviderConfig,
  GitHubProviderConfigInput,
} from './github-config.js';
export { githubConfigSchema, githubEndpoints, parseGitHubConfig } from './github-config.js';
export {
  githubGroupPrincipals,
  githubOrgPrincipal,
  githubTeamPrincipal,
  githubUserPrincipal,
  passesRestriction,
} from './github-principals.js';
export type { GitHubProviderOptions } from './github-provider.js';
export { GitHubProvider } from './github-provider.js';
export {
  groupNames,
  mergeClaims,
  oidcGroupPrincipal,
  oidcIssuerHash,
  oidcUserPrincipal,
  oidcUserPrincipalId,
  readClaim,
  subOfPrincipalId,
} from './oidc-claims.js';
export type { OidcProviderConfig, OidcProviderConfigInput } from './oidc-config.js';
export { oidcConfigSchema, parseOidcConfig } from './oidc-config.js';
export { oidcError } from './oidc-errors.js';
export type { OidcProviderOptions } from './oidc-provider.js';
export { OidcProvider } from './oidc-provider.js';
export { checkCallback, newPendingLogin, pkceS256Challenge } from './pending-login.js';
export type { PendingLoginStoreOptions, StoredPendingLogin } from './pending-login-store.js';
export {
  DEFAULT_MAX_PENDING_PER_SOURCE,
  PendingLoginStore,
  pendingLoginsCollection,
} from './pending-login-store.js';
export { StoredRedirectLoginFlow } from './redirect-login-flow.js';
export {
  openRefreshMaterial,
  requireRefreshMaterial,
  sealRefreshMaterial,
} from './refresh-material.js';
export type { FetchLike } from './upstream-http.js';
