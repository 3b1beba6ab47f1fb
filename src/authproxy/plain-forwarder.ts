import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { ClusterConnection } from '../domain/cluster.js';
import type { UpstreamCall, UpstreamSink } from '../domain/cluster-upstream.js';
import { PaddockError } from '../errors/index.js';
import type { OutgoingHeaders } from './header-policy.js';
import { hardenResponseHeaders } from './response-hardening.js';
import { upstreamFailure } from './upstream-error.js';

export interface PlainForward {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly connection: ClusterConnection;
  /** Path on the wire, query included. */
  readonly path: string;
  readonly headers: OutgoingHeaders;
  /** Watches and `logs -f`: no deadline, headers flushed at once. */
  readonly streaming: boolean;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  /** The cluster answered (any status). */
  readonly onAnswer: () => void;
  /**
   * The request failed before an answer started (`UPSTREAM_*` or `PAYLOAD_TOO_LARGE`): the
   * caller sends the error. After an answer started, a failure cuts the client connection
   * instead, as a reverse proxy must, and this is not called.
   */
  readonly onFailure: (err: PaddockError) => void;
}

// Response headers that describe Paddock ↔ cluster, not Paddock ↔ client.
const RESPONSE_HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-authenticate',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
]);

/**
 * Streams one request to the cluster over its kept-alive connections and the answer back into
 * the `ServerResponse` as it arrives, buffering neither body. Returns the call so that the
 * caller can stop it when the client goes away.
 */
export function forwardPlain(f: PlainForward): UpstreamCall {
  const { req } = f;
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > f.maxBodyBytes) {
    f.onFailure(tooLarge(f.maxBodyBytes));
    return NO_CALL;
  }
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const relay = new ResponseRelay(f);
  if (chunked) {
    // Counted before the upstream connection sees the chunk.
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > f.maxBodyBytes && !relay.settled) relay.refuse(tooLarge(f.maxBodyBytes));
    });
  }
  relay.call = f.connection.upstream.send(
    {
      method: req.method ?? 'GET',
      path: f.path,
      headers: f.headers,
      body:
        length > 0
          ? { stream: req, length }
          : chunked
            ? { stream: req, length: undefined }
            : undefined,
      idleTimeoutMs: f.streaming ? 0 : f.timeoutMs,
      longLived: f.streaming,
    },
    relay,
  );
  return relay;
}

const NO_CALL: UpstreamCall = { abort() {}, resume() {} };

/** Writes the cluster's answer into the client's response. */
class ResponseRelay implements UpstreamSink, UpstreamCall {
  call: UpstreamCall = NO_CALL;
  settled = false;
  readonly #f: PlainForward;
  #waitingForDrain = false;
  readonly #resume = () => {
    this.#waitingForDrain = false;
    this.call.resume();
  };

  constructor(f: PlainForward) {
    this.#f = f;
  }

  onHead(status: number, headers: Record<string, string | string[]>): void {
    const { res } = this.#f;
    this.#f.onAnswer();
    res.writeHead(status, responseHeaders(headers));
    // A watch may stay silent for minutes: the client must see the headers now.
    if (this.#f.streaming) res.flushHeaders();
  }

  onData(chunk: Buffer): boolean {
    const ok = this.#f.res.write(chunk);
    // One socket read can hold several chunks: one drain listener is enough for all of them.
    if (!ok && !this.#waitingForDrain) {
      this.#waitingForDrain = true;
      this.#f.res.once('drain', this.#resume);
    }
    return ok;
  }

  onEnd(): void {
    this.settled = true;
    this.#f.res.end();
  }

  onError(err: Error): void {
    this.settled = true;
    const { res } = this.#f;
    if (res.headersSent) res.destroy();
    else this.#f.onFailure(upstreamFailure(err, this.#f.connection.clusterId));
  }

  /** Stops the upstream call and answers `err` instead. */
  refuse(err: PaddockError): void {
    this.settled = true;
    this.call.abort();
    if (this.#f.res.headersSent) this.#f.res.destroy();
    else this.#f.onFailure(err);
  }

  abort(): void {
    this.settled = true;
    this.call.abort();
  }

  resume(): void {
    this.call.resume();
  }
}

function responseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const connection = headers.connection;
  const named =
    connection === undefined
      ? undefined
      : new Set(
          [connection]
            .flat()
            .flatMap((v) => v.split(','))
            .map((t) => t.trim().toLowerCase()),
        );
  const out: IncomingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || RESPONSE_HOP_BY_HOP.has(name) || named?.has(name)) continue;
    out[name] = value;
  }
  hardenResponseHeaders(out);
  return out;
}

function tooLarge(max: number): PaddockError {
  return new PaddockError('PAYLOAD_TOO_LARGE', `request body larger than ${max} bytes`, {
    reason: 'body_too_large',
  });
}
