import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ClusterConnection } from '../domain/cluster.js';
import { PaddockError } from '../errors/index.js';
import type { OutgoingHeaders } from './header-policy.js';
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
  readonly signal: AbortSignal;
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
 * Streams one request to the cluster and its answer back through undici's pool, without
 * buffering either body. Failures before the answer started are thrown as `UPSTREAM_*` (or
 * `PAYLOAD_TOO_LARGE`); after that the client connection is cut, as a reverse proxy must.
 * Resolves with the status sent to the client.
 */
export async function forwardPlain(f: PlainForward): Promise<number> {
  const { req, res } = f;
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > f.maxBodyBytes) throw tooLarge(f.maxBodyBytes);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  let overLimit = false;
  const body =
    length > 0
      ? req
      : chunked
        ? Readable.from(limitBody(req, f.maxBodyBytes, () => (overLimit = true)))
        : null;
  let status = 0;
  try {
    await f.connection.dispatcher.stream(
      {
        path: f.path,
        method: (req.method ?? 'GET') as 'GET',
        headers: f.headers,
        body,
        signal: f.signal,
        headersTimeout: f.streaming ? 0 : f.timeoutMs,
        bodyTimeout: f.streaming ? 0 : f.timeoutMs,
      },
      ({ statusCode, headers }) => {
        status = statusCode;
        res.writeHead(statusCode, responseHeaders(headers));
        // A watch may stay silent for minutes: the client must see the headers now.
        if (f.streaming) res.flushHeaders();
        return res;
      },
    );
    return status;
  } catch (err) {
    if (overLimit) throw tooLarge(f.maxBodyBytes);
    if (res.headersSent || f.signal.aborted) {
      res.destroy();
      return status;
    }
    throw upstreamFailure(err, f.connection.clusterId);
  }
}

function responseHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set(
    [headers.connection ?? []]
      .flat()
      .flatMap((v) => v.split(','))
      .map((t) => t.trim().toLowerCase()),
  );
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || RESPONSE_HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

async function* limitBody(
  req: IncomingMessage,
  max: number,
  onOver: () => void,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) {
      onOver();
      throw tooLarge(max);
    }
    yield chunk as Buffer;
  }
}

function tooLarge(max: number): PaddockError {
  return new PaddockError('PAYLOAD_TOO_LARGE', `request body larger than ${max} bytes`, {
    reason: 'body_too_large',
  });
}
