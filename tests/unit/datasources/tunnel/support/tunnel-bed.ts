/**
 * Both ends of the agent tunnel in one process, over real sockets: Paddock's `/v1/connect`
 * route on a plain HTTP server with a hub, and any number of real `AgentTunnel`s dialling it,
 * each relaying to the fake API server. Only the registrar (the registry) is a fake.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AgentTunnel } from '../../../../../src/agent/agent-tunnel.js';
import { clusterFacts } from '../../../../../src/agent/cluster-facts.js';
import { createTunnelStreamHandler } from '../../../../../src/agent/tunnel-stream-handler.js';
import {
  type AgentConnectRoute,
  type AgentRegistrar,
  createAgentConnectRoute,
} from '../../../../../src/datasources/tunnel/agent-gateway.js';
import { TunnelHub } from '../../../../../src/datasources/tunnel/tunnel-hub.js';
import {
  type AgentRegistration,
  formatAgentToken,
  type TunnelFraming,
} from '../../../../../src/datasources/tunnel/tunnel-protocol.js';
import { createTestLogger } from '../../support/test-logger.js';

export const CLUSTER = 'c-tunnel';
export const SECRET = 'a'.repeat(43);

export interface TunnelBed {
  readonly url: string;
  readonly hub: TunnelHub;
  readonly route: AgentConnectRoute;
  readonly registrations: AgentRegistration[];
  readonly logs: ReturnType<typeof createTestLogger>['lines'];
  /** Starts an agent relaying to `apiUrl`; `streams` counts the CONNECTs it handled. */
  startAgent(options?: {
    token?: string;
    apiUrl?: string;
    framing?: TunnelFraming;
    /** Where the agent dials (default the bed's own URL; e.g. a proxy in front of it). */
    server?: string;
  }): TestAgent;
  /** Accepts only this secret from now on (a rotation of the fake registrar). */
  setSecret(secret: string): void;
  /** What the agents read as the account tokens from now on (the cluster rotated them). */
  setTokens(tokens: { impersonator: string; manager: string }): void;
  close(): Promise<void>;
}

export interface TestAgent {
  readonly tunnel: AgentTunnel;
  readonly connects: () => number;
  stop(): Promise<void>;
}

export interface TunnelBedOptions {
  /** The registry, or by default a fake accepting `SECRET` for `CLUSTER`. */
  readonly registrar?: AgentRegistrar;
  readonly hub?: TunnelHub;
  /** What the agents read as the account tokens. */
  readonly tokens?: { impersonator: string; manager: string };
}

export async function startTunnelBed(
  apiUrl: string,
  caPem: string,
  options: TunnelBedOptions = {},
): Promise<TunnelBed> {
  const logger = createTestLogger();
  const hub = options.hub ?? new TunnelHub();
  const registrations: AgentRegistration[] = [];
  let secret = SECRET;
  const fake: AgentRegistrar = {
    async verifyAgent(clusterId, presented) {
      return clusterId === CLUSTER && presented === secret ? `digest-of-${presented}` : undefined;
    },
    async registerAgent(_clusterId, digest, registration) {
      if (digest !== `digest-of-${secret}`) throw new Error('rotated');
      registrations.push(registration);
    },
  };
  const real = options.registrar;
  const registrar: AgentRegistrar =
    real === undefined
      ? fake
      : {
          verifyAgent: (id, presented) => real.verifyAgent(id, presented),
          async registerAgent(id, digest, registration) {
            await real.registerAgent(id, digest, registration);
            registrations.push(registration);
          },
        };
  const route = createAgentConnectRoute({
    registrar,
    hub,
    logger,
    handshakeTimeoutMs: 5_000,
    pingIntervalMs: 200,
    pingTimeoutMs: 1_000,
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    try {
      route.handle(req, res);
    } catch {
      res.writeHead(400).end();
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => undefined);
    void route.upgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agents = new Set<TestAgent>();
  const files: Record<string, string> = {
    '/ca.crt': caPem,
    '/imp': `${options.tokens?.impersonator ?? 'imp-token'}\n`,
    '/mgr': `${options.tokens?.manager ?? 'mgr-token'}\n`,
  };

  return {
    url,
    hub,
    route,
    registrations,
    logs: logger.lines,
    startAgent(options = {}) {
      let connects = 0;
      const facts = clusterFacts({
        version: '9.9.9-test',
        apiServer: options.apiUrl ?? apiUrl,
        apiCaFile: '/ca.crt',
        impersonatorTokenFile: '/imp',
        managerTokenFile: '/mgr',
        readText: async (path) => files[path] ?? '',
      });
      let tunnel: AgentTunnel | undefined;
      const handler = createTunnelStreamHandler({
        facts,
        logger: logger.child({ agent: agents.size }),
        onRegistration: () => tunnel?.registered(),
      });
      tunnel = new AgentTunnel({
        server: options.server ?? url,
        token: async () => options.token ?? formatAgentToken(CLUSTER, SECRET),
        handler: (stream, headers) => {
          if (headers[':method'] === 'CONNECT') connects += 1;
          handler(stream, headers);
        },
        logger,
        reconnectMinMs: 50,
        reconnectMaxMs: 200,
        pingIntervalMs: 200,
        pingTimeoutMs: 1_000,
        ...(options.framing === undefined ? {} : { framing: options.framing }),
      });
      tunnel.start();
      const agent: TestAgent = {
        tunnel,
        connects: () => connects,
        stop: () => tunnel.stop(500),
      };
      agents.add(agent);
      return agent;
    },
    setSecret(next) {
      secret = next;
    },
    setTokens(tokens) {
      files['/imp'] = `${tokens.impersonator}\n`;
      files['/mgr'] = `${tokens.manager}\n`;
    },
    async close() {
      await Promise.all([...agents].map((a) => a.stop()));
      route.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
