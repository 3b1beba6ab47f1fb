/**
 * Identity provider configuration as administrators edit it through GraphQL. Secrets go in and
 * never come out: views carry only which secret fields are set. The adapter in `src/identity`
 * (`createAuthConfigAdmin`) wraps the stored configs and the provider factories.
 */
import type { AccessMode, Principal, ProviderName } from './principal.js';

export interface AuthConfigSummary {
  readonly provider: ProviderName;
  readonly enabled: boolean;
  readonly accessMode: AccessMode;
  readonly allowedPrincipalIds: readonly string[];
  readonly groupRefreshMaxAgeSeconds?: number;
  /** Provider settings with every secret field removed. */
  readonly settings: Record<string, unknown>;
  /** Dot-separated paths of the secret fields that hold a value (`serviceAccount.password`). */
  readonly secretsSet: readonly string[];
  /** Epoch milliseconds. */
  readonly updatedAt: number;
}

export interface AuthConfigChange {
  readonly provider: ProviderName;
  readonly enabled?: boolean;
  readonly accessMode?: AccessMode;
  readonly allowedPrincipalIds?: readonly string[];
  readonly groupRefreshMaxAgeSeconds?: number;
  /** A secret field left out keeps its stored value. */
  readonly settings: Record<string, unknown>;
}

export interface AuthConfigTestRequest {
  readonly provider: ProviderName;
  /** Secret fields left out are taken from the stored config, if any. */
  readonly settings: Record<string, unknown>;
  readonly username: string;
  readonly password: string;
}

/** What a trial login found; a failure is data, so the administrator sees why. */
export type AuthConfigTestResult =
  | {
      readonly ok: true;
      readonly user?: Principal;
      readonly groups: readonly Principal[];
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      /** Why a server could not be reached, for the server log only; never sent to clients. */
      readonly detail?: string;
    };

export interface AuthConfigAdmin {
  list(): Promise<AuthConfigSummary[]>;
  get(provider: string): Promise<AuthConfigSummary | undefined>;
  put(change: AuthConfigChange): Promise<AuthConfigSummary>;
  /** False when there was no config for the provider. */
  delete(provider: string): Promise<boolean>;
  /** Builds the provider from `settings` without saving them and tries the login. */
  test(request: AuthConfigTestRequest): Promise<AuthConfigTestResult>;
}
