/**
 * The short-lived side of an import: a transport of its own for the operator's one-time token
 * (closed right after, never kept), the manifest install and the service-account token reads.
 */
import type { Dispatcher } from 'undici';
import type { ClusterEndpointInput } from './cluster-input.js';
import { validateCa, validateEndpoint } from './cluster-input.js';
import { createClusterTransport, type TransportOptions } from './cluster-transport.js';
import {
  installImportManifest,
  readServiceAccountTokens,
  type ServiceAccountTokens,
} from './manifest-installer.js';

export interface ImportSessionOptions {
  readonly transport: TransportOptions | undefined;
  readonly callTimeoutMs: number;
  /** How long to wait for the token controller to fill the token Secrets. */
  readonly tokenWaitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

interface Target {
  readonly endpoint: URL;
  readonly dispatcher: Dispatcher;
}

/** Creates the manifest's objects with `token`, then reads both service-account tokens. */
export function installAndReadTokens(
  options: ImportSessionOptions,
  clusterId: string,
  endpoint: ClusterEndpointInput,
  token: string,
): Promise<ServiceAccountTokens> {
  return withTransport(options, endpoint, async (target) => {
    await installImportManifest(target, token, clusterId, options.callTimeoutMs);
    return readTokensWith(options, target, token);
  });
}

/** Reads both service-account tokens of an applied manifest with a one-time token. */
export function readTokens(
  options: ImportSessionOptions,
  endpoint: ClusterEndpointInput,
  bootstrapToken: string,
): Promise<ServiceAccountTokens> {
  return withTransport(options, endpoint, (target) =>
    readTokensWith(options, target, bootstrapToken),
  );
}

function readTokensWith(options: ImportSessionOptions, target: Target, token: string) {
  return readServiceAccountTokens(target, token, {
    timeoutMs: options.callTimeoutMs,
    waitMs: options.tokenWaitMs,
    now: options.now,
    sleep: options.sleep,
  });
}

async function withTransport<T>(
  options: ImportSessionOptions,
  input: ClusterEndpointInput,
  use: (target: Target) => Promise<T>,
): Promise<T> {
  const endpoint = new URL(validateEndpoint(input.endpoint));
  const transport = createClusterTransport(
    {
      endpoint,
      caPem: validateCa(input.caPem),
      tlsServerName: input.tlsServerName,
      dangerouslySkipTlsVerify: input.dangerouslySkipTlsVerify === true,
    },
    options.transport,
  );
  try {
    return await use({ endpoint, dispatcher: transport.dispatcher });
  } finally {
    await transport.close();
  }
}
