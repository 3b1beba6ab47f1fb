import { PaddockError } from '../errors/index.js';
import { CLUSTER_ID_PATTERN } from './cluster-records.js';
import type { KubeconfigFileAccess } from './kubeconfig-context.js';

/** Where a cluster's API server is and how to trust it. */
export interface ClusterEndpointInput {
  /** `https://host:port[/prefix]`. */
  readonly endpoint: string;
  /** PEM of the API server's CA; omitted = the system's trusted roots. */
  readonly caPem?: string;
  readonly tlsServerName?: string;
  /** Accept any certificate. Only for throwaway clusters: tokens can then be stolen in transit. */
  readonly dangerouslySkipTlsVerify?: boolean;
}

export interface ClusterNameInput {
  /** Defaults to a random `c-xxxxx`. */
  readonly id?: string;
  readonly name: string;
  readonly description?: string;
  /** Id of the user who imports it through the API; absent for the operator's imports. */
  readonly createdBy?: string;
}

/** Import (a): endpoint, CA and both service-account tokens. */
export interface DirectImportInput extends ClusterNameInput, ClusterEndpointInput {
  readonly impersonatorToken: string;
  readonly managerToken: string;
}

/** Import (b): a kubeconfig context. */
export interface KubeconfigImportInput extends Partial<ClusterNameInput> {
  readonly kubeconfig: string;
  readonly context?: string;
  /**
   * `refuse` for a kubeconfig sent through the API (inline data only); `read` for the
   * operator's own file (`--import-kubeconfig`), whose paths are then read.
   */
  readonly localFiles: KubeconfigFileAccess;
  /** Directory for relative file paths in the kubeconfig. */
  readonly baseDir?: string;
  /**
   * `install` (default): use the context's token once to create the import manifest's objects,
   * then keep only the two service-account tokens. `context`: keep the context's own token as
   * both impersonator and manager (for clusters where nothing can be installed).
   */
  readonly credentials?: 'install' | 'context';
}

/** Import (c), second half: the operator applied the manifest; how Paddock gets the tokens. */
export type ManifestCompletionInput = ClusterEndpointInput &
  (
    | { readonly bootstrapToken: string }
    | { readonly impersonatorToken: string; readonly managerToken: string }
  );

/** A new endpoint and credentials for an imported cluster; the same two ways to give tokens. */
export type ConnectionChangeInput = ManifestCompletionInput;

export function validateId(id: string): string {
  if (!CLUSTER_ID_PATTERN.test(id)) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      'cluster id must be lowercase letters, digits and dashes (at most 63)',
      { reason: 'invalid_cluster_id' },
    );
  }
  return id;
}

export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 253) {
    throw new PaddockError('VALIDATION_FAILED', 'cluster name must be 1 to 253 characters', {
      reason: 'invalid_cluster_name',
    });
  }
  return trimmed;
}

/** Bearer tokens travel only over TLS, so the endpoint must be https. */
export function validateEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PaddockError('VALIDATION_FAILED', `endpoint ${endpoint} is not a URL`, {
      reason: 'invalid_endpoint',
    });
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash) {
    throw new PaddockError(
      'VALIDATION_FAILED',
      'endpoint must be an https URL without credentials, query or fragment',
      { reason: 'invalid_endpoint' },
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function validateToken(token: string, what: string): string {
  const trimmed = token.trim();
  if (trimmed === '' || /[\s\0]/.test(trimmed)) {
    throw new PaddockError('VALIDATION_FAILED', `${what} must be a non-empty bearer token`, {
      reason: 'invalid_token',
    });
  }
  return trimmed;
}

export function validateCa(caPem: string | undefined): string | undefined {
  if (caPem === undefined || caPem.trim() === '') return undefined;
  if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PaddockError('VALIDATION_FAILED', 'caPem must be PEM certificates', {
      reason: 'invalid_ca',
    });
  }
  return caPem;
}
