/**
 * Paddock's end of one connected agent: an HTTP/2 client session over the agent's WebSocket
 * (its carrier: the upgraded socket itself, or the WebSocket's messages; ADR 0022). Each TLS
 * connection Paddock wants to the cluster's API server is one `CONNECT` stream; the session is
 * kept alive with HTTP/2 PINGs, and when it goes away every stream still open fails with the
 * tunnel's error code, which the proxy answers with a 503 Status (ADR 0017).
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect as connectHttp2,
  constants,
  type IncomingHttpHeaders,
} from 'node:http2';
import { Duplex } from 'node:stream';
import type { TunnelCarrier } from './tunnel-carrier.js';
import {
  AGENT_REGISTRATION_PATH,
  type AgentRegistration,
  MAX_REGISTRATION_BYTES,
  parseAgentRegistration,
  TUNNEL_HTTP2_SETTINGS,
  TUNNEL_SESSION_MEMORY_MB,
  TUNNEL_SESSION_WINDOW,
  tunnelError,
} from './tunnel-protocol.js';

export interface AgentSessionOptions {
  readonly clusterId: string;
  /** SHA-256 of the registration secret the agent presented: rotation closes the session. */
  readonly secretDigest: string;
  /** Time between keepalive PINGs (default 10 s). */
  readonly pingIntervalMs?: number;
  /** A PING without an answer for this long ends the session (default 10 s). */
  readonly pingTimeoutMs?: number;
  /** Epoch milliseconds. */
  readonly now?: () => number;
}

let sessionCount = 0;

export class AgentSession {
  readonly id: string;
  readonly clusterId: string;
  readonly secretDigest: string;
  readonly connectedAt: number;
  /** The last time the agent answered anything (a PING, the registration). */
  lastSeenAt: number;
  /** Known once the registration has been read. */
  agentVersion: string | undefined;
  /** Why the session ended, once it has (for the log), and the error behind it if any. */
  closeReason: string | undefined;
  closeCause: unknown;
  readonly #carrier: TunnelCarrier;
  readonly #http2: ClientHttp2Session;
  readonly #now: () => number;
  readonly #pingTimeoutMs: number;
  readonly #closeListeners = new Set<(session: AgentSession) => void>();
  readonly #ready: Promise<void>;
  #active = 0;
  #usable = true;
  #closed = false;
  #pingTimer: NodeJS.Timeout | undefined;

  constructor(carrier: TunnelCarrier, options: AgentSessionOptions) {
    sessionCount += 1;
    this.id = `${options.clusterId}/${sessionCount}`;
    this.clusterId = options.clusterId;
    this.secretDigest = options.secretDigest;
    this.#now = options.now ?? Date.now;
    this.connectedAt = this.#now();
    this.lastSeenAt = this.connectedAt;
    this.#pingTimeoutMs = options.pingTimeoutMs ?? 10_000;
    this.#carrier = carrier;
    // Registered before node:http2's own listeners, which end the streams cleanly: open
    // CONNECT streams must fail with the tunnel's error, not look like a normal close.
    carrier.onGone((err) =>
      err === undefined
        ? this.#fail('the agent tunnel closed')
        : this.#fail('the agent tunnel failed', err),
    );
    this.#http2 = connectHttp2('http://paddock-agent.invalid', {
      createConnection: () => carrier.stream,
      settings: TUNNEL_HTTP2_SETTINGS,
      maxSessionMemory: TUNNEL_SESSION_MEMORY_MB,
    });
    this.#http2.on('error', (err) => this.#fail('the agent tunnel failed', err));
    this.#http2.on('close', () => this.#fail('the agent tunnel closed'));
    // The agent is shutting down: its open streams finish, new ones go to other sessions.
    this.#http2.on('goaway', () => {
      this.#usable = false;
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#http2.once('remoteSettings', () => {
        this.#http2.setLocalWindowSize(TUNNEL_SESSION_WINDOW);
        resolve();
      });
      this.onClose(() => reject(tunnelError('the agent tunnel closed before it was ready')));
    });
    this.#ready.catch(() => undefined);
    const interval = options.pingIntervalMs ?? 10_000;
    this.#pingTimer = setInterval(() => this.#ping(), interval);
    this.#pingTimer.unref();
  }

  /** Open streams (CONNECT tunnels), for spreading new ones over the sessions. */
  get activeStreams(): number {
    return this.#active;
  }

  /** False once the session is closing: no new stream should start on it. */
  get usable(): boolean {
    return this.#usable && !this.#closed;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once the agent's HTTP/2 SETTINGS arrived; rejects if that takes `timeoutMs`. */
  ready(timeoutMs: number): Promise<void> {
    return withDeadline(this.#ready, timeoutMs, () => {
      this.#fail('the agent did not start its HTTP/2 session in time');
    });
  }

  /** Asks the agent what it knows of its cluster (`GET /registration`). */
  registration(timeoutMs: number): Promise<AgentRegistration> {
    const asked = new Promise<AgentRegistration>((resolve, reject) => {
      let stream: ClientHttp2Stream;
      try {
        stream = this.#http2.request(
          { ':method': 'GET', ':path': AGENT_REGISTRATION_PATH, ':scheme': 'https' },
          { endStream: true },
        );
      } catch (err) {
        reject(tunnelError('the agent tunnel is not open', err));
        return;
      }
      let status = 0;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('response', (headers: IncomingHttpHeaders) => {
        status = Number(headers[':status']);
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REGISTRATION_BYTES) {
          stream.close(constants.NGHTTP2_CANCEL);
          reject(new Error('the registration answer is too large'));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (err) => reject(tunnelError('reading the registration failed', err)));
      stream.on('end', () => {
        if (status !== 200) {
          reject(new Error(`the agent answered the registration with ${status}`));
          return;
        }
        try {
          const registration = parseAgentRegistration(Buffer.concat(chunks).toString('utf8'));
          this.agentVersion = registration.agentVersion;
          this.lastSeenAt = this.#now();
          resolve(registration);
        } catch (err) {
          reject(err);
        }
      });
    });
    return withDeadline(asked, timeoutMs, () => {
      this.#fail('the agent did not answer the registration in time');
    });
  }

  /**
   * A byte stream to `authority` (the API server's `host:port`) inside the cluster. It may be
   * written to at once: the agent holds the bytes until its TCP connection is up. A refusal
   * or a lost session destroys it with the tunnel's error code.
   */
  open(authority: string): Duplex {
    if (!this.usable) return failedStream(tunnelError('the agent tunnel is closing'));
    let stream: ClientHttp2Stream;
    try {
      stream = this.#http2.request({ ':method': 'CONNECT', ':authority': authority });
    } catch (err) {
      return failedStream(tunnelError('the agent tunnel is not open', err));
    }
    this.#active += 1;
    // The TLS socket on top reports errors; this keeps one arriving after it is gone quiet.
    stream.on('error', () => undefined);
    stream.once('close', () => {
      this.#active -= 1;
    });
    stream.once('response', (headers: IncomingHttpHeaders) => {
      const status = Number(headers[':status']);
      if (status !== 200) {
        stream.destroy(
          tunnelError(
            status === 403
              ? `the agent refused a connection to ${authority}`
              : `the agent could not reach ${authority} (${status})`,
          ),
        );
      }
    });
    return stream;
  }

  onClose(listener: (session: AgentSession) => void): () => void {
    if (this.#closed) {
      queueMicrotask(() => listener(this));
      return () => undefined;
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /**
   * Ends the session; streams still open fail with the tunnel's error carrying `reason`. With
   * `tellAgent` the agent is told why first, in the debug data of an HTTP/2 GOAWAY.
   */
  close(reason: string, tellAgent = false): void {
    this.#fail(reason, undefined, tellAgent);
  }

  #ping(): void {
    if (this.#closed) return;
    let answered = false;
    const timer = setTimeout(() => {
      if (!answered) this.#fail('the agent did not answer a PING in time');
    }, this.#pingTimeoutMs);
    timer.unref();
    try {
      this.#http2.ping((err) => {
        answered = true;
        clearTimeout(timer);
        if (err === null) this.lastSeenAt = this.#now();
      });
    } catch (err) {
      clearTimeout(timer);
      this.#fail('the agent tunnel failed', err);
    }
  }

  #fail(reason: string, cause?: unknown, tellAgent = false): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeCause = cause;
    const detail = (cause as { code?: unknown; message?: unknown } | undefined) ?? {};
    this.closeReason =
      cause === undefined
        ? reason
        : `${reason} (${String(detail.code ?? detail.message ?? cause)})`;
    this.#usable = false;
    clearInterval(this.#pingTimer);
    // Destroying the session with an error destroys each open stream with that same error.
    const err = tunnelError(reason, cause);
    if (!tellAgent || this.#http2.destroyed) {
      this.#http2.destroy(err);
      this.#carrier.terminate();
    } else {
      // The GOAWAY must go out before the socket is cut: `close` ends the session once its
      // frames are written (no stream is open when an agent is refused), else the timer does.
      try {
        this.#http2.goaway(constants.NGHTTP2_NO_ERROR, 0, Buffer.from(reason.slice(0, 500)));
        this.#http2.close(() => this.#carrier.terminate());
      } catch {
        this.#http2.destroy(err);
      }
      setTimeout(() => {
        this.#http2.destroy(err);
        this.#carrier.terminate();
      }, 1_000).unref();
    }
    for (const listener of this.#closeListeners) {
      try {
        listener(this);
      } catch {
        // A listener's failure must not keep the others from hearing of the close.
      }
    }
    this.#closeListeners.clear();
  }
}

/** A stream that fails at once with `err` (no session to open one on). */
export function failedStream(err: Error): Duplex {
  const stream = new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback(err);
    },
  });
  stream.destroy(err);
  return stream;
}

function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(tunnelError('the agent did not answer in time'));
    }, ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
