import { Agent } from 'node:https';
import { isIP } from 'node:net';
import { Pool } from 'undici';
import type { OutboundGuard } from '../domain/outbound-guard.js';
import { UNREACHABLE_ENDPOINT_MESSAGE } from '../domain/outbound-guard.js';
import { PaddockError } from '../errors/index.js';
import type { TunnelDialer } from './tunnel/tunnel-hub.js';
import { TunnelAgent, tlsThroughTunnel, tunnelConnector } from './tunnel/tunnel-sockets.js';
import { Http1Upstream } from './upstream/http1-upstream.js';
import { Http2Upstream } from './upstream/http2-upstream.js';
import { authorityOf } from './upstream/upstream-endpoint.js';
import { UpstreamRouter } from './upstream/upstream-router.js';

export interface ClusterTlsSettings {
  readonly endpoint: URL;
  readonly caPem?: string;
  readonly tlsServerName?: string;
  readonly dangerouslySkipTlsVerify: boolean;
}

export interface TransportOptions {
  /** How long an idle keep-alive socket stays open. */
  readonly keepAliveMs?: number;
  /** Deadline for the TCP + TLS handshake. */
  readonly connectTimeoutMs?: number;
  /** Checks every address the sockets dial (ADR 0011); absent = no network restriction. */
  readonly outbound?: OutboundGuard;
}

/**
 * One cluster's sockets: the proxy's lean HTTP/1.1 connections for plain requests, an
 * https.Agent for upgrades, and an undici pool for Paddock's own calls.
 */
export interface ClusterTransport {
  readonly agent: Agent;
  readonly dispatcher: Pool;
  readonly upstream: UpstreamRouter;
  close(): Promise<void>;
}

/**
 * Builds the keep-alive clients of one cluster. Both verify the API server against the
 * cluster's own CA (not the system roots, when a CA is given) and only skip verification when
 * the record says `dangerouslySkipTlsVerify`. With a `tunnel` (an agent cluster, ADR 0017)
 * every socket is TLS over a tunnel stream to the endpoint's `host:port` inside the cluster:
 * Paddock dials nothing there, so the outbound guard has nothing to check.
 */
export function createClusterTransport(
  tls: ClusterTlsSettings,
  options: TransportOptions = {},
  tunnel?: TunnelDialer,
): ClusterTransport {
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const rejectUnauthorized = !tls.dangerouslySkipTlsVerify;
  const servername = tls.tlsServerName ?? serverNameOf(tls.endpoint);
  const ca = tls.caPem === undefined || tls.caPem === '' ? undefined : tls.caPem;
  const host = tls.endpoint.hostname.replace(/^\[|\]$/g, '');
  const port = Number(tls.endpoint.port || 443);
  const outbound = tunnel === undefined ? options.outbound : undefined;
  // Node dials an IP literal without calling `lookup`, so a literal is checked here; names are
  // checked by `lookup` at every dial.
  if (outbound && isIP(host) !== 0 && !outbound.allowsAddress(host)) {
    throw new PaddockError('UPSTREAM_UNAVAILABLE', UNREACHABLE_ENDPOINT_MESSAGE, {
      reason: 'outbound_denied',
    });
  }
  const lookup = outbound?.lookup;
  const authority = authorityOf({ host, port });
  const openTunnelled =
    tunnel === undefined
      ? undefined
      : (ALPNProtocols: string[]) => () =>
          tlsThroughTunnel(tunnel, authority, {
            ca,
            rejectUnauthorized,
            servername,
            ALPNProtocols,
          });
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: keepAliveMs,
    ca,
    rejectUnauthorized,
    servername,
    timeout: connectTimeoutMs,
    scheduling: 'lifo' as const,
    ...(lookup ? { lookup } : {}),
  };
  const agent = openTunnelled
    ? new TunnelAgent(agentOptions, openTunnelled(['http/1.1']))
    : new Agent(agentOptions);
  const dispatcher = new Pool(tls.endpoint.origin, {
    connect: openTunnelled
      ? tunnelConnector(openTunnelled(['http/1.1']), connectTimeoutMs)
      : {
          ca,
          rejectUnauthorized,
          servername,
          timeout: connectTimeoutMs,
          ...(lookup ? { lookup } : {}),
        },
    connectTimeout: connectTimeoutMs,
    keepAliveTimeout: keepAliveMs,
    keepAliveMaxTimeout: Math.max(keepAliveMs, 600_000),
    // Deadlines are set per request: a watch must be able to stay silent for hours.
    headersTimeout: 0,
    bodyTimeout: 0,
    pipelining: 1,
  });
  const upstreamOptions = {
    host,
    port,
    tls: { ca, rejectUnauthorized, servername, ...(lookup ? { lookup } : {}) },
    connectTimeoutMs,
    keepAliveMs,
    ...(tunnel === undefined
      ? {}
      : {
          connect: (o: Parameters<typeof tlsThroughTunnel>[2]) =>
            tlsThroughTunnel(tunnel, authority, o),
        }),
  };
  const upstream = new UpstreamRouter(
    new Http1Upstream(upstreamOptions),
    new Http2Upstream(upstreamOptions),
  );
  return {
    agent,
    dispatcher,
    upstream,
    async close() {
      agent.destroy();
      upstream.close();
      await dispatcher.destroy().catch(() => undefined);
    },
  };
}

// SNI takes host names only; an IP literal is checked against the certificate's IP SANs.
function serverNameOf(endpoint: URL): string | undefined {
  const host = endpoint.hostname.replace(/^\[|\]$/g, '');
  return /^[\d.]+$/.test(host) || host.includes(':') ? undefined : host;
}
