/**
 * The agent's connection to Paddock: a WebSocket to `/v1/connect` carrying one HTTP/2 session
 * in which the agent is the server. When it drops (Paddock restarts, the network fails, a PING
 * goes unanswered) the agent dials again after a capped, jittered exponential wait; the wait
 * starts over once Paddock has accepted a registration (ADR 0017).
 */
import {
  createServer as createHttp2Server,
  type Http2Server,
  type ServerHttp2Session,
} from 'node:http2';
import { WebSocket } from 'ws';
import {
  AGENT_CONNECT_PATH,
  AGENT_TUNNEL_PROTOCOL,
  TUNNEL_HTTP2_SETTINGS,
  TUNNEL_SESSION_MEMORY_MB,
  TUNNEL_SESSION_WINDOW,
} from '../datasources/tunnel/tunnel-protocol.js';
import { websocketDuplex } from '../datasources/tunnel/websocket-duplex.js';
import type { Logger } from '../domain/logger.js';
import { reconnectDelayMs } from './reconnect-delay.js';
import type { TunnelStreamHandler } from './tunnel-stream-handler.js';

export interface AgentTunnelOptions {
  /** Paddock's URL, without a trailing slash. */
  readonly server: string;
  /** The registration token, read anew for every connection. */
  readonly token: () => Promise<string>;
  /** CA of Paddock's certificate; absent = the system's roots. */
  readonly serverCaPem?: string;
  readonly handler: TunnelStreamHandler;
  readonly logger: Logger;
  readonly reconnectMinMs: number;
  readonly reconnectMaxMs: number;
  /** Time between PINGs to Paddock, and how long one may go unanswered (default 10 s each). */
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
  readonly random?: () => number;
}

/** What the agent is doing now, for logs and tests. */
export type AgentTunnelState = 'connecting' | 'connected' | 'waiting' | 'stopped';

export class AgentTunnel {
  readonly #o: AgentTunnelOptions;
  readonly #http2: Http2Server;
  #attempt = 0;
  #state: AgentTunnelState = 'waiting';
  #ws: WebSocket | undefined;
  #session: ServerHttp2Session | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: AgentTunnelOptions) {
    this.#o = options;
    this.#http2 = createHttp2Server({
      settings: TUNNEL_HTTP2_SETTINGS,
      maxSessionMemory: TUNNEL_SESSION_MEMORY_MB,
    });
    this.#http2.on('stream', (stream, headers) => options.handler(stream, headers));
    this.#http2.on('session', (session) => {
      this.#session = session;
      session.on('error', (err) => options.logger.debug({ err }, 'tunnel session error'));
      session.once('remoteSettings', () => session.setLocalWindowSize(TUNNEL_SESSION_WINDOW));
    });
  }

  get state(): AgentTunnelState {
    return this.#state;
  }

  /** Paddock accepted this session (it asked for and got the registration). */
  registered(): void {
    this.#attempt = 0;
  }

  start(): void {
    this.#stopped = false;
    void this.#connect();
  }

  /** Lets open streams finish (up to `graceMs`), then closes the tunnel for good. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopped = true;
    this.#state = 'stopped';
    clearTimeout(this.#timer);
    const ws = this.#ws;
    const session = this.#session;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => ws.terminate(), graceMs);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      // GOAWAY: Paddock starts no new stream here, and the session closes once the open ones end.
      if (session !== undefined && !session.destroyed) {
        session.close(() => ws.close(1001, 'agent stopping'));
      } else ws.close(1001, 'agent stopping');
    });
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#state = 'connecting';
    let token: string;
    try {
      token = (await this.#o.token()).trim();
    } catch (err) {
      this.#o.logger.error({ err }, 'cannot read the registration token');
      this.#retry();
      return;
    }
    const url = `${this.#o.server}${AGENT_CONNECT_PATH}`;
    const ws = new WebSocket(url, AGENT_TUNNEL_PROTOCOL, {
      headers: { authorization: `Bearer ${token}` },
      ...(this.#o.serverCaPem === undefined ? {} : { ca: this.#o.serverCaPem }),
      perMessageDeflate: false,
      handshakeTimeout: 10_000,
      maxPayload: 8 * 1024 * 1024,
      // A zero mask, which ws then skips on both ends (ADR 0017): masking keeps a browser's
      // script from choosing the bytes an intermediary sees; the agent is no browser, and its
      // payload is HTTP/2 frames around TLS ciphertext that nobody on the path chooses.
      generateMask: (mask: Buffer) => {
        mask.fill(0);
      },
    });
    this.#ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      const refused = res.statusCode === 401;
      this.#o.logger.error(
        { status: res.statusCode },
        refused
          ? 'Paddock refused the registration token (wrong, or rotated: apply the new manifest)'
          : 'Paddock did not accept the tunnel',
      );
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => this.#o.logger.warn({ err, url }, 'the tunnel to Paddock failed'));
    ws.once('open', () => {
      this.#state = 'connected';
      this.#o.logger.info({ url }, 'connected to Paddock');
      const duplex = websocketDuplex(ws);
      duplex.on('error', () => undefined); // reported through the WebSocket's own events
      this.#http2.emit('connection', duplex);
      this.#keepAlive(ws);
    });
    ws.once('close', (code, reason) => {
      this.#session?.destroy();
      this.#session = undefined;
      if (this.#state === 'connected') {
        this.#o.logger.warn(
          { code, reason: reason.toString() },
          'the tunnel to Paddock closed; reconnecting',
        );
      }
      this.#retry();
    });
  }

  /** PINGs Paddock: a Paddock that vanished without closing the socket is noticed. */
  #keepAlive(ws: WebSocket): void {
    const every = this.#o.pingIntervalMs ?? 10_000;
    const within = this.#o.pingTimeoutMs ?? 10_000;
    const timer = setInterval(() => {
      const session = this.#session;
      if (session === undefined || session.destroyed) return;
      const deadline = setTimeout(() => ws.terminate(), within);
      deadline.unref();
      try {
        session.ping(() => clearTimeout(deadline));
      } catch {
        clearTimeout(deadline);
        ws.terminate();
      }
    }, every);
    timer.unref();
    ws.once('close', () => clearInterval(timer));
  }

  #retry(): void {
    if (this.#stopped) return;
    this.#state = 'waiting';
    const delay = reconnectDelayMs(
      this.#attempt,
      this.#o.reconnectMinMs,
      this.#o.reconnectMaxMs,
      this.#o.random,
    );
    this.#attempt += 1;
    this.#o.logger.debug({ delayMs: delay, attempt: this.#attempt }, 'reconnecting later');
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}
