/**
 * `/v1/connect`: where agents dial in (ADR 0017). The upgrade is refused with 401 unless it
 * carries the current registration token of an agent cluster; an accepted WebSocket becomes
 * an `AgentSession`, which must start HTTP/2 and answer the registration in time before it
 * joins the hub and carries traffic. An agent offering `paddock-tunnel.v2` gets it (the
 * socket itself carries HTTP/2, ADR 0022); `paddock-tunnel.v1` (one message per write) is
 * accepted from agents configured for it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../domain/logger.js';
import { PaddockError } from '../../errors/index.js';
import { AgentSession } from './agent-session.js';
import { socketCarrier, type TunnelCarrier, websocketCarrier } from './tunnel-carrier.js';
import type { TunnelHub } from './tunnel-hub.js';
import {
  AGENT_CONNECT_PATH,
  AGENT_TUNNEL_PROTOCOLS,
  type AgentRegistration,
  parseAgentToken,
  type TunnelFraming,
} from './tunnel-protocol.js';
import { startStream, streamFrameHeader, websocketAccept } from './websocket-stream.js';

/** What the gateway needs of the registry. */
export interface AgentRegistrar {
  /** The secret's digest when it is the cluster's current one; undefined otherwise. */
  verifyAgent(clusterId: string, secret: string): Promise<string | undefined>;
  /** Records the agent's report; throws to refuse it (the session is then closed). */
  registerAgent(
    clusterId: string,
    secretDigest: string,
    registration: AgentRegistration,
  ): Promise<void>;
}

export interface AgentGatewayOptions {
  readonly registrar: AgentRegistrar;
  readonly hub: TunnelHub;
  readonly logger: Logger;
  /** Deadline for the agent's SETTINGS and its registration answer (default 10 s). */
  readonly handshakeTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly pingTimeoutMs?: number;
}

/** The route shape of src/server's `HttpRoute`; errors are thrown for the server to render. */
export interface AgentConnectRoute {
  readonly name: 'agent-connect';
  readonly path: string;
  readonly methods: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse): void;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  /** Stops accepting and closes every session. */
  close(): void;
}

/** The framing an upgrade asks for: v2 whenever it is offered, else v1. */
function framingOffered(req: IncomingMessage): TunnelFraming | undefined {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (offered.includes(AGENT_TUNNEL_PROTOCOLS.stream)) return 'stream';
  if (offered.includes(AGENT_TUNNEL_PROTOCOLS.messages)) return 'messages';
  return undefined;
}

export function createAgentConnectRoute(options: AgentGatewayOptions): AgentConnectRoute {
  const { registrar, hub, logger } = options;
  const handshakeMs = options.handshakeTimeoutMs ?? 10_000;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // HTTP/2 frames are at most 16 KiB; a write batches several.
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (offered) =>
      offered.has(AGENT_TUNNEL_PROTOCOLS.messages) ? AGENT_TUNNEL_PROTOCOLS.messages : false,
  });
  let closed = false;

  const refuse = (socket: Duplex, status: 400 | 401 | 503, message: string) => {
    const body = JSON.stringify({ error: { message } });
    const reason = { 400: 'Bad Request', 401: 'Unauthorized', 503: 'Service Unavailable' }[status];
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  /** Registration, then the hub: a session carries traffic only once the registry took it. */
  const admit = async (
    session: AgentSession,
    clusterId: string,
    digest: string,
    remoteAddress: string | undefined,
  ) => {
    try {
      await session.ready(handshakeMs);
      const registration = await session.registration(handshakeMs);
      await registrar.registerAgent(clusterId, digest, registration);
      if (closed) throw new Error('Paddock is shutting down');
      hub.attach(session);
      logger.info(
        { clusterId, session: session.id, agentVersion: registration.agentVersion },
        'an agent connected',
      );
      session.onClose(() =>
        logger.info(
          {
            clusterId,
            session: session.id,
            reason: session.closeReason,
            ...(session.closeCause === undefined ? {} : { err: session.closeCause }),
          },
          'an agent disconnected',
        ),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      logger.warn({ clusterId, remoteAddress, err }, 'an agent registration failed');
      session.close(`registration refused: ${message}`, true);
    }
  };

  return {
    name: 'agent-connect',
    path: AGENT_CONNECT_PATH,
    methods: ['GET'],
    handle() {
      throw new PaddockError(
        'BAD_REQUEST',
        `${AGENT_CONNECT_PATH} is for paddock agent: connect with a WebSocket upgrade`,
        { reason: 'upgrade_required' },
      );
    },
    async upgrade(req, socket, head) {
      const remoteAddress = req.socket.remoteAddress;
      if (closed) {
        refuse(socket, 503, 'Paddock is shutting down');
        return;
      }
      const framing = framingOffered(req);
      const key = String(req.headers['sec-websocket-key'] ?? '');
      if (
        String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' ||
        framing === undefined ||
        (framing === 'stream' &&
          (req.headers['sec-websocket-version'] !== '13' || !/^[A-Za-z0-9+/]{22}==$/.test(key)))
      ) {
        refuse(
          socket,
          400,
          `connect with a version 13 WebSocket and subprotocol ${AGENT_TUNNEL_PROTOCOLS.stream}` +
            ` or ${AGENT_TUNNEL_PROTOCOLS.messages}`,
        );
        return;
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const token = bearer === undefined ? undefined : parseAgentToken(bearer);
      const digest =
        token === undefined
          ? undefined
          : await registrar.verifyAgent(token.clusterId, token.secret);
      if (token === undefined || digest === undefined) {
        // One answer for a malformed token, an unknown cluster and a wrong or rotated secret.
        logger.warn(
          { clusterId: token?.clusterId, remoteAddress },
          'an agent connection was refused: invalid registration token',
        );
        refuse(socket, 401, 'invalid registration token');
        return;
      }
      const { clusterId } = token;
      const run = (carrier: TunnelCarrier) => {
        const session = new AgentSession(carrier, {
          clusterId,
          secretDigest: digest,
          ...(options.pingIntervalMs === undefined
            ? {}
            : { pingIntervalMs: options.pingIntervalMs }),
          ...(options.pingTimeoutMs === undefined ? {} : { pingTimeoutMs: options.pingTimeoutMs }),
        });
        void admit(session, clusterId, digest, remoteAddress);
      };
      if (framing === 'messages') {
        wss.handleUpgrade(req, socket, head, (ws: WebSocket) => run(websocketCarrier(ws)));
        return;
      }
      const accepted =
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${websocketAccept(key)}\r\n` +
        `Sec-WebSocket-Protocol: ${AGENT_TUNNEL_PROTOCOLS.stream}\r\n\r\n`;
      try {
        await startStream(socket, {
          send: Buffer.concat([Buffer.from(accepted, 'latin1'), streamFrameHeader(false)]),
          peerMasked: true,
          head,
          timeoutMs: handshakeMs,
        });
      } catch (err) {
        logger.warn({ clusterId, remoteAddress, err }, 'an agent tunnel did not start');
        return;
      }
      run(socketCarrier(socket));
    },
    close() {
      closed = true;
      hub.close();
      wss.close();
    },
  };
}
