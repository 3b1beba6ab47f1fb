/**
 * The agent's HTTP/2 server side: `CONNECT` streams become TCP connections to the API server
 * (and only to it: any other authority is refused, so the tunnel cannot be used to reach the
 * rest of the cluster's network), and `GET /registration` answers what the agent knows of the
 * cluster. The bytes of a CONNECT stream are TLS between Paddock and the API server; the agent
 * cannot read them.
 */
import { constants, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { connect as connectTcp, type Socket } from 'node:net';
import { AGENT_REGISTRATION_PATH } from '../datasources/tunnel/tunnel-protocol.js';
import type { Logger } from '../domain/logger.js';
import type { ClusterFacts } from './cluster-facts.js';

export interface TunnelStreamHandlerOptions {
  readonly facts: ClusterFacts;
  readonly logger: Logger;
  /** Opens the TCP connection to the API server (tests may redirect it). */
  readonly dial?: (host: string, port: number) => Socket;
  /** Called after a registration was answered (the session is accepted). */
  readonly onRegistration?: () => void;
}

export type TunnelStreamHandler = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void;

export function createTunnelStreamHandler(
  options: TunnelStreamHandlerOptions,
): TunnelStreamHandler {
  const { facts, logger } = options;
  const dial = options.dial ?? ((host: string, port: number) => connectTcp({ host, port }));
  return (stream, headers) => {
    stream.on('error', (err) => logger.debug({ err }, 'tunnel stream error'));
    const method = headers[':method'];
    if (method === 'CONNECT') {
      connectStream(stream, String(headers[':authority'] ?? ''), facts, dial, logger);
    } else if (method === 'GET' && headers[':path'] === AGENT_REGISTRATION_PATH) {
      facts.registration().then(
        (registration) => {
          respond(stream, 200, JSON.stringify(registration));
          options.onRegistration?.();
        },
        (err: unknown) => {
          logger.error({ err }, 'cannot answer the registration');
          respond(stream, 500, JSON.stringify({ error: (err as Error).message }));
        },
      );
    } else {
      respond(stream, 404, JSON.stringify({ error: 'not found' }));
    }
  };
}

function connectStream(
  stream: ServerHttp2Stream,
  authority: string,
  facts: ClusterFacts,
  dial: (host: string, port: number) => Socket,
  logger: Logger,
): void {
  if (authority.toLowerCase() !== facts.authority.toLowerCase()) {
    logger.warn({ authority }, 'refused a tunnel stream to somewhere other than the API server');
    respond(stream, 403, '');
    return;
  }
  const socket = dial(facts.host, facts.port);
  socket.setNoDelay(true);
  let connected = false;
  // Both directions flow at once: bytes Paddock sends before the answer (its TLS hello) wait
  // in the socket until it connects, which saves a round trip per connection.
  stream.pipe(socket);
  socket.once('connect', () => {
    connected = true;
    // Paddock may have given up on the stream while the connection was being made.
    if (stream.destroyed || stream.closed) {
      socket.destroy();
      return;
    }
    try {
      stream.respond({ ':status': 200 });
    } catch {
      socket.destroy();
      return;
    }
    socket.pipe(stream);
  });
  socket.on('error', (err) => {
    if (!connected) {
      logger.warn({ err, authority }, 'cannot connect to the API server');
      if (!stream.headersSent && !stream.destroyed) respond(stream, 502, '');
      return;
    }
    // RFC 9113 §8.5: a TCP error on a CONNECT stream is a CONNECT_ERROR reset.
    if (!stream.destroyed) stream.close(constants.NGHTTP2_CONNECT_ERROR);
  });
  stream.once('close', () => socket.destroy());
}

/** Answers `stream` if it is still open; a stream Paddock already reset is left alone. */
function respond(stream: ServerHttp2Stream, status: number, body: string): void {
  if (stream.destroyed || stream.closed || stream.headersSent) return;
  try {
    stream.respond({
      ':status': status,
      ...(body === '' ? {} : { 'content-type': 'application/json' }),
    });
    stream.end(body);
  } catch {
    // Reset between the check and the answer: nobody is waiting for it any more.
  }
}
