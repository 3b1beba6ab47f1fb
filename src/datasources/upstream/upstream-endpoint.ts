/** What the HTTP/1.1 and HTTP/2 upstream pools of one cluster share. */
import type { ConnectionOptions, TLSSocket } from 'node:tls';

export interface UpstreamEndpointOptions {
  readonly host: string;
  readonly port: number;
  /**
   * CA, server name and verification, as for every other connection to the cluster, and the
   * outbound guard's `lookup` (ADR 0011).
   */
  readonly tls: Pick<ConnectionOptions, 'ca' | 'servername' | 'rejectUnauthorized' | 'lookup'>;
  readonly connectTimeoutMs: number;
  /** How long an idle connection is kept for the next request. */
  readonly keepAliveMs: number;
  /**
   * Opens the TLS socket over something other than a TCP dial (an agent's tunnel, ADR 0017);
   * `host` and `port` then only name the server. Absent: `tls.connect` to host and port.
   */
  readonly connect?: (
    options: Pick<ConnectionOptions, 'ca' | 'servername' | 'rejectUnauthorized' | 'ALPNProtocols'>,
  ) => TLSSocket;
}

/** A failure reported to an `UpstreamSink`, with the `code` the proxy maps to a status. */
export type UpstreamError = Error & { code?: string };

export function upstreamError(code: string, message: string, cause?: unknown): UpstreamError {
  return Object.assign(new Error(message, { cause }), { code });
}

/** `host:port`, with an IPv6 literal in brackets. */
export function authorityOf(options: Pick<UpstreamEndpointOptions, 'host' | 'port'>): string {
  return `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
}
