/**
 * The proxy's lean path to a cluster's API server for plain (non-upgrade) requests: one
 * request out on a kept-alive connection, the answer streamed back through callbacks, with no
 * per-request promise, signal or stream object in between.
 */
import type { Readable } from 'node:stream';

/**
 * The `code` of a failure of an agent cluster's tunnel (no agent connected, the agent went
 * away mid-request, the agent could not reach its API server): the cluster is unavailable.
 */
export const AGENT_TUNNEL_ERROR_CODE = 'EAGENTTUNNEL';

/** Lowercase header name → value; an array becomes one line per element. */
export type UpstreamHeaders = Readonly<Record<string, string | readonly string[]>>;

export interface UpstreamRequest {
  readonly method: string;
  /** Path on the wire, query included. */
  readonly path: string;
  /** Every request header, `host` included; values are sent as latin1 bytes. */
  readonly headers: UpstreamHeaders;
  /**
   * The request body, streamed as it arrives; `length` is its declared size, or `undefined`
   * to send it chunked. Absent for a request without a body.
   */
  readonly body?: { readonly stream: Readable; readonly length: number | undefined };
  /** Longest silence allowed while waiting for or reading the answer; 0 for none (watches). */
  readonly idleTimeoutMs: number;
  /**
   * A watch or `logs -f`: the answer may stay open for hours, so it may share an HTTP/2
   * connection with others when the cluster offers one.
   */
  readonly longLived?: boolean;
}

/** Receives one answer. After `onEnd` or `onError`, nothing more is called. */
export interface UpstreamSink {
  /** Status line and headers, repeated lines kept in order. */
  onHead(status: number, headers: Record<string, string | string[]>): void;
  /** A piece of the body; `false` pauses the connection until the call's `resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /**
   * The request failed. `code` says how: `ECONNREFUSED` and other connect errors,
   * `UPSTREAM_TIMEOUT`, `UPSTREAM_CLOSED` (the cluster hung up), `HPE_*` (a malformed answer),
   * TLS verification codes.
   */
  onError(err: Error & { code?: string }): void;
}

export interface UpstreamCall {
  /** Stops the exchange (the client went away); no callback follows. */
  abort(): void;
  /** Continues after `onData` returned `false`. */
  resume(): void;
}

export interface ClusterUpstream {
  send(request: UpstreamRequest, sink: UpstreamSink): UpstreamCall;
}
