/**
 * The agent's connection to Paddock: a WebSocket to `/v1/connect` carrying one HTTP/2 session
 * in which the agent is the server. When it drops (Paddock restarts, the network fails, a PING
 * goes unanswered) the agent dials again after a capped, jittered exponential wait; the wait
 * starts over once Paddock has accepted a registration (ADR 0017, 0022).
 */
import { performServerHandshake, type ServerHttp2Session } from 'node:http2';
import type { TunnelCarrier } from '../datasources/tunnel/tunnel-carrier.js';
import {
  AGENT_CONNECT_PATH,
  TUNNEL_HTTP2_SETTINGS,
  TUNNEL_SESSION_MEMORY_MB,
  TUNNEL_SESSION_WINDOW,
  type TunnelFraming,
} from '../datasources/tunnel/tunnel-protocol.js';
import type { Logger } from '../domain/logger.js';
import { reconnectDelayMs } from './reconnect-delay.js';
import { dialTunnel, TunnelRefusedError } from './tunnel-dial.js';
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
  /** How the WebSocket carries HTTP/2 (default `stream`; `messages` for message-holding proxies). */
  readonly framing?: TunnelFraming;
  /** Time between PINGs to Paddock, and how long one may go unanswered (default 10 s each). */
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
  readonly random?: () => number;
}

/** What the agent is doing now, for logs and tests. */
export type AgentTunnelState = 'connecting' | 'connected' | 'waiting' | 'stopped';

export class AgentTunnel {
  readonly #o: AgentTunnelOptions;
  #attempt = 0;
  #state: AgentTunnelState = 'waiting';
  #carrier: TunnelCarrier | undefined;
  #session: ServerHttp2Session | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: AgentTunnelOptions) {
    this.#o = options;
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
    const carrier = this.#carrier;
    const session = this.#session;
    if (carrier === undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => carrier.terminate(), graceMs);
      carrier.onGone(() => {
        clearTimeout(timer);
        resolve();
      });
      // GOAWAY: Paddock starts no new stream here, and the session closes once the open ones end.
      if (session !== undefined && !session.destroyed) {
        session.close(() => carrier.terminate());
      } else carrier.terminate();
    });
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#state = 'connecting';
    const o = this.#o;
    const url = `${o.server}${AGENT_CONNECT_PATH}`;
    let carrier: TunnelCarrier;
    try {
      const token = (await o.token()).trim();
      carrier = await dialTunnel({
        server: o.server,
        token,
        ...(o.serverCaPem === undefined ? {} : { caPem: o.serverCaPem }),
        framing: o.framing ?? 'stream',
        timeoutMs: 10_000,
      });
    } catch (err) {
      if (err instanceof TunnelRefusedError) {
        o.logger.error(
          { status: err.status },
          err.status === 401
            ? 'Paddock refused the registration token (wrong, or rotated: apply the new manifest)'
            : 'Paddock did not accept the tunnel',
        );
      } else o.logger.warn({ err, url }, 'the tunnel to Paddock failed');
      this.#retry();
      return;
    }
    if (this.#stopped) {
      carrier.terminate();
      return;
    }
    this.#carrier = carrier;
    this.#state = 'connected';
    o.logger.info({ url }, 'connected to Paddock');
    const session = performServerHandshake(carrier.stream, {
      settings: TUNNEL_HTTP2_SETTINGS,
      maxSessionMemory: TUNNEL_SESSION_MEMORY_MB,
    });
    this.#session = session;
    session.on('stream', (stream, headers) => o.handler(stream, headers));
    session.on('error', (err) => o.logger.debug({ err }, 'tunnel session error'));
    session.once('remoteSettings', () => session.setLocalWindowSize(TUNNEL_SESSION_WINDOW));
    // Paddock says why it ends the session (a refused registration) in the GOAWAY's data.
    session.on('goaway', (_code: number, _lastStreamId: number, data?: Buffer) => {
      if (data !== undefined && data.length > 0) {
        o.logger.warn({ reason: data.toString('utf8') }, 'Paddock is closing the tunnel');
      }
    });
    session.once('close', () => carrier.terminate());
    const stopKeepAlive = this.#keepAlive(session, carrier);
    let gone = false;
    carrier.onGone((err) => {
      if (gone) return;
      gone = true;
      stopKeepAlive();
      session.destroy();
      if (this.#session === session) this.#session = undefined;
      if (this.#carrier === carrier) this.#carrier = undefined;
      if (this.#state === 'connected') {
        o.logger.warn({ err }, 'the tunnel to Paddock closed; reconnecting');
      }
      this.#retry();
    });
  }

  /** PINGs Paddock: a Paddock that vanished without closing the socket is noticed. */
  #keepAlive(session: ServerHttp2Session, carrier: TunnelCarrier): () => void {
    const every = this.#o.pingIntervalMs ?? 10_000;
    const within = this.#o.pingTimeoutMs ?? 10_000;
    const timer = setInterval(() => {
      if (session.destroyed) return;
      const deadline = setTimeout(() => carrier.terminate(), within);
      deadline.unref();
      try {
        session.ping(() => clearTimeout(deadline));
      } catch {
        clearTimeout(deadline);
        carrier.terminate();
      }
    }, every);
    timer.unref();
    return () => clearInterval(timer);
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
