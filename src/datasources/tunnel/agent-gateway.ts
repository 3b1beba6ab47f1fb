/**
 * `/v1/connect`: where agents dial in (ADR 0017). The upgrade is refused with 401 unless it
 * carries the current registration token of an agent cluster; an accepted WebSocket becomes
 * an `AgentSession`, which must start HTTP/2 and answer the registration in time before it
 * joins the hub and carries traffic.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../domain/logger.js';
import { PaddockError } from '../../errors/index.js';
import { AgentSession } from './agent-session.js';
import type { TunnelHub } from './tunnel-hub.js';
import {
  AGENT_CONNECT_PATH,
  AGENT_TUNNEL_PROTOCOL,
  type AgentRegistration,
  parseAgentToken,
} from './tunnel-protocol.js';

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

// WebSocket close codes the agent reads (4000-4999 are for applications).
const CLOSE_REFUSED = 4400;

export function createAgentConnectRoute(options: AgentGatewayOptions): AgentConnectRoute {
  const { registrar, hub, logger } = options;
  const handshakeMs = options.handshakeTimeoutMs ?? 10_000;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    // HTTP/2 frames are at most 16 KiB; a write batches several.
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (offered) =>
      offered.has(AGENT_TUNNEL_PROTOCOL) ? AGENT_TUNNEL_PROTOCOL : false,
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
      const offered = String(req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim());
      if (
        String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket' ||
        !offered.includes(AGENT_TUNNEL_PROTOCOL)
      ) {
        refuse(socket, 400, `connect with WebSocket subprotocol ${AGENT_TUNNEL_PROTOCOL}`);
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
      wss.handleUpgrade(req, socket, head, (ws) => {
        const session = new AgentSession(ws, {
          clusterId,
          secretDigest: digest,
          ...(options.pingIntervalMs === undefined
            ? {}
            : { pingIntervalMs: options.pingIntervalMs }),
          ...(options.pingTimeoutMs === undefined ? {} : { pingTimeoutMs: options.pingTimeoutMs }),
        });
        void (async () => {
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
            session.close(`registration refused: ${message}`, CLOSE_REFUSED);
          }
        })();
      });
    },
    close() {
      closed = true;
      hub.close();
      wss.close();
    },
  };
}
