/**
 * The caller's own account: changing a local password (a fresh session comes back, the old
 * ones end) and issuing a kubeconfig. `LoginService` from `src/identity` fits `PasswordChange`.
 */
import type { Identity, LoginResult } from './identity.js';

export interface PasswordChange {
  changePassword(input: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    remoteAddress?: string;
    userAgent?: string;
    /** Also delete the user's API keys and kubeconfig tokens. */
    revokeApiKeys?: boolean;
  }): Promise<LoginResult>;
}

export interface KubeconfigRequest {
  readonly identity: Identity;
  /** Only these clusters (one cluster scopes the token to it); all the caller may see if absent. */
  readonly clusterIds?: readonly string[];
  /** Used when neither configuration nor the `server-url` setting names Paddock's URL. */
  readonly fallbackServerUrl?: string;
}

/**
 * Issues a kubeconfig for the caller: one context per cluster it may see, Paddock's CA, and a
 * new kubeconfig token. One implementation serves `GET /v1/kubeconfig` and the GraphQL
 * `kubeconfig` mutation (`src/server/kubeconfig/kubeconfig-issuer.ts`).
 */
export interface KubeconfigIssuer {
  issue(request: KubeconfigRequest): Promise<string>;
}
