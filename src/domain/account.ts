/**
 * The caller's own account: changing a local password (a fresh session comes back, the old
 * ones end) and issuing a kubeconfig. `LoginService` from `src/identity` fits `PasswordChange`;
 * `renderKubeconfig` from `src/server` fits `KubeconfigIssuer.render`.
 */
import type { LoginResult } from './identity.js';

export interface PasswordChange {
  changePassword(input: {
    userId: string;
    currentPassword: string;
    newPassword: string;
    remoteAddress?: string;
  }): Promise<LoginResult>;
}

export interface KubeconfigRenderInput {
  readonly serverUrl: string;
  readonly caPem: string | undefined;
  readonly clusters: readonly { readonly id: string; readonly name: string }[];
  readonly username: string;
  readonly token: string;
}

export interface KubeconfigIssuer {
  /** Paddock's public URL from configuration; else the `server-url` setting is used. */
  readonly serverUrl?: string;
  /** CA of Paddock's serving certificate, embedded in the kubeconfig. */
  readonly caPem?: string;
  render(input: KubeconfigRenderInput): string;
}
