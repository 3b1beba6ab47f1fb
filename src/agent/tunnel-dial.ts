/**
 * The agent's WebSocket to Paddock's `/v1/connect`, in either framing (ADR 0022). `stream`
 * (the default) is a plain HTTP/1.1 upgrade after which both sides send one endless binary
 * message, so the agent's HTTP/2 server runs on the TLS socket itself; `messages` uses the
 * `ws` client and one message per write.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import {
  socketCarrier,
  type TunnelCarrier,
  websocketCarrier,
} from '../datasources/tunnel/tunnel-carrier.js';
import {
  AGENT_CONNECT_PATH,
  AGENT_TUNNEL_PROTOCOLS,
  type TunnelFraming,
} from '../datasources/tunnel/tunnel-protocol.js';
import {
  startStream,
  streamFrameHeader,
  websocketAccept,
} from '../datasources/tunnel/websocket-stream.js';

export interface TunnelDialOptions {
  /** Paddock's URL, without a trailing slash. */
  readonly server: string;
  readonly token: string;
  /** CA of Paddock's certificate; absent = the system's roots. */
  readonly caPem?: string;
  readonly framing: TunnelFraming;
  /** For the upgrade and, with `stream`, the frame headers. */
  readonly timeoutMs: number;
}

/** Paddock answered the upgrade with something other than 101 (401: the token was refused). */
export class TunnelRefusedError extends Error {
  readonly status: number;

  constructor(status: number) {
    super(`Paddock answered the tunnel upgrade with ${status}`);
    this.name = 'TunnelRefusedError';
    this.status = status;
  }
}

export function dialTunnel(o: TunnelDialOptions): Promise<TunnelCarrier> {
  return o.framing === 'stream' ? dialStream(o) : dialMessages(o);
}

function dialStream(o: TunnelDialOptions): Promise<TunnelCarrier> {
  const url = new URL(`${o.server}${AGENT_CONNECT_PATH}`);
  const key = randomBytes(16).toString('base64');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<TunnelCarrier>((resolve, reject) => {
    const req = send(url, {
      headers: {
        authorization: `Bearer ${o.token}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
        'sec-websocket-protocol': AGENT_TUNNEL_PROTOCOLS.stream,
      },
      ...(o.caPem === undefined ? {} : { ca: o.caPem }),
      // The upgraded socket becomes the tunnel: it must not come from or go back to a pool.
      agent: false,
      timeout: o.timeoutMs,
    });
    req.once('timeout', () => req.destroy(new Error(`no answer within ${o.timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      res.resume();
      reject(new TunnelRefusedError(res.statusCode ?? 0));
    });
    req.once('upgrade', (res: IncomingMessage, socket: Duplex, head: Buffer) => {
      req.setTimeout(0);
      const wrong = checkAccepted(res, key);
      if (wrong !== undefined) {
        socket.destroy();
        reject(
          new Error(
            `Paddock's upgrade answer is not a ${AGENT_TUNNEL_PROTOCOLS.stream} one: ${wrong}`,
          ),
        );
        return;
      }
      startStream(socket, {
        send: streamFrameHeader(true),
        peerMasked: false,
        head,
        timeoutMs: o.timeoutMs,
      }).then(() => resolve(socketCarrier(socket)), reject);
    });
    req.end();
  });
}

/** Why a 101 answer does not complete our upgrade (RFC 6455 §4.1); undefined when it does. */
function checkAccepted(res: IncomingMessage, key: string): string | undefined {
  if (String(res.headers.upgrade ?? '').toLowerCase() !== 'websocket')
    return 'no Upgrade: websocket';
  if (res.headers['sec-websocket-accept'] !== websocketAccept(key))
    return 'a wrong Sec-WebSocket-Accept';
  if (res.headers['sec-websocket-protocol'] !== AGENT_TUNNEL_PROTOCOLS.stream) {
    return 'another subprotocol';
  }
  return undefined;
}

function dialMessages(o: TunnelDialOptions): Promise<TunnelCarrier> {
  const ws = new WebSocket(`${o.server}${AGENT_CONNECT_PATH}`, AGENT_TUNNEL_PROTOCOLS.messages, {
    headers: { authorization: `Bearer ${o.token}` },
    ...(o.caPem === undefined ? {} : { ca: o.caPem }),
    perMessageDeflate: false,
    handshakeTimeout: o.timeoutMs,
    maxPayload: 8 * 1024 * 1024,
    // A zero mask, which ws then skips on both ends (ADR 0017): masking keeps a browser's
    // script from choosing the bytes an intermediary sees; the agent is no browser, and its
    // payload is HTTP/2 frames around TLS ciphertext that nobody on the path chooses.
    generateMask: (mask: Buffer) => {
      mask.fill(0);
    },
  });
  return new Promise<TunnelCarrier>((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      reject(new TunnelRefusedError(res.statusCode ?? 0));
    });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('the WebSocket closed before it opened')));
    ws.once('open', () => resolve(websocketCarrier(ws)));
  });
}
