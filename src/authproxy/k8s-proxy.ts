import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import type { AuditSink } from '../domain/audit.js';
import type { ClusterConnection, ClusterRegistry } from '../domain/cluster.js';
import type { CredentialEvents } from '../domain/credential-events.js';
import type { Authenticator, AuthRequest, Identity } from '../domain/identity.js';
import type { Logger } from '../domain/logger.js';
import { isPaddockError, PaddockError } from '../errors/index.js';
import {
  assertOutgoingHeaders,
  assertOutgoingRecord,
  type OutgoingHeaders,
  withImpersonation,
} from './header-policy.js';
import { ImpersonationMemo } from './impersonation-memo.js';
import { endSocketWithStatus, sendKubeStatus, statusOfError } from './kube-status.js';
import { OpenStreams } from './open-streams.js';
import { forwardPlain } from './plain-forwarder.js';
import { proxyCredentials } from './proxy-credentials.js';
import { createProxyMetrics, type ProxyMetrics } from './proxy-metrics.js';
import { PROXY_PREFIX, type ProxyTarget, parseProxyTarget } from './proxy-path.js';
import { type RequestKind, requestKindOf } from './request-verb.js';
import { createUpgradeTunnels, type UpgradeTunnels } from './upgrade-tunnel.js';
import { countsAgainstCluster, upstreamFailure } from './upstream-error.js';

/** The part of the server's request context the proxy uses (src/server's RequestContext fits). */
export interface ProxyRequestContext {
  readonly requestId: string;
  readonly log: Logger;
}

export interface K8sProxyOptions {
  readonly authenticator: Authenticator;
  readonly clusters: ClusterRegistry;
  readonly logger: Logger;
  /** Where the per-cluster metrics are registered (the server's /metrics registry). */
  readonly metricsRegistry: Registry;
  readonly auditSink: AuditSink;
  /** Revocations that must close the caller's open watches and tunnels at once. */
  readonly credentialEvents?: CredentialEvents;
  /** Largest request body accepted (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** Deadline for a non-streaming request's answer (default 120 s); watches have none. */
  readonly requestTimeoutMs?: number;
  /** How often open streams are re-authenticated (default 5 s). */
  readonly recheckIntervalMs?: number;
  readonly now?: () => number;
}

/** The proxy's route, shaped like src/server's `HttpRoute`. */
export interface K8sProxyRoute {
  readonly name: 'k8s-proxy';
  readonly path: string;
  readonly prefix: true;
  handle(req: IncomingMessage, res: ServerResponse, ctx: ProxyRequestContext): Promise<void>;
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ctx: ProxyRequestContext,
  ): Promise<void>;
}

export interface K8sProxy {
  readonly route: K8sProxyRoute;
  /** Open proxied requests, watches and tunnels. */
  readonly openStreams: OpenStreams;
  close(): void;
}

interface Admitted {
  readonly target: ProxyTarget;
  readonly identity: Identity;
  readonly connection: ClusterConnection;
  readonly kind: RequestKind;
  readonly headers: OutgoingHeaders;
  /** Paddock's own identity lines, which `headers` must carry exactly. */
  readonly expected: OutgoingHeaders;
  readonly path: string;
  readonly credentials: AuthRequest;
  /** Read at admission: after the response the socket may already belong to another request. */
  readonly remoteAddress: string | undefined;
}

/** `/k8s/clusters/{clusterId}/**`: the impersonating authentication proxy. */
export function createK8sProxy(options: K8sProxyOptions): K8sProxy {
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const metrics: ProxyMetrics = createProxyMetrics(options.metricsRegistry);
  const streams = new OpenStreams({
    authenticator: options.authenticator,
    logger: options.logger,
    credentialEvents: options.credentialEvents,
    recheckIntervalMs: options.recheckIntervalMs,
    now,
  });
  const tunnels: UpgradeTunnels = createUpgradeTunnels();
  const impersonation = new ImpersonationMemo();

  /** Everything before the first byte goes out: path, caller, scope, cluster, headers. */
  async function admit(req: IncomingMessage, upgrade: boolean): Promise<Admitted> {
    const target = parseProxyTarget(req.url ?? '/');
    // The session cookie only counts from Paddock's own pages (proxy-credentials.ts, ADR 0016).
    const credentials: AuthRequest = proxyCredentials({
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
      upgrade,
    });
    // The same credential headers are re-checked later for the stream's whole life.
    const identity = await options.authenticator.authenticate(credentials);
    if (identity.scope !== undefined && identity.scope.clusterId !== target.clusterId) {
      throw new PaddockError('FORBIDDEN', 'this key is limited to another cluster', {
        reason: 'scope_mismatch',
      });
    }
    if (identity.mustChangePassword) {
      throw new PaddockError('FORBIDDEN', 'change your password before using the cluster', {
        reason: 'password_change_required',
      });
    }
    const connection = await options.clusters.connection(target.clusterId);
    if (connection === undefined) {
      throw new PaddockError('NOT_FOUND', `cluster ${target.clusterId} not found`, {
        reason: 'cluster_not_found',
      });
    }
    if (!connection.gate.allowRequest()) {
      throw new PaddockError('UPSTREAM_UNAVAILABLE', `cluster ${target.clusterId} is unavailable`, {
        reason: 'circuit_open',
      });
    }
    const kind = requestKindOf(req.method ?? 'GET', target.path, target.query);
    const expected = impersonation.headersFor(identity, connection.impersonatorToken);
    const headers = withImpersonation(req.rawHeaders, expected, connection.endpoint.host);
    if (upgrade) {
      headers.connection = 'Upgrade';
      headers.upgrade = req.headers.upgrade ?? '';
    }
    assertOutgoingRecord(headers, expected);
    const prefix = connection.endpoint.pathname.replace(/\/+$/, '');
    const path = `${prefix}${target.path}${target.query === '' ? '' : `?${target.query}`}`;
    const remoteAddress = req.socket.remoteAddress;
    return {
      target,
      identity,
      connection,
      kind,
      headers,
      expected,
      path,
      credentials,
      remoteAddress,
    };
  }

  function logRefusal(err: unknown, ctx: ProxyRequestContext): void {
    if (isPaddockError(err) && err.reason === 'header_leak') {
      ctx.log.error({ err, details: err.details }, 'proxy refused to send client identity headers');
    } else if (!isPaddockError(err) || err.code === 'INTERNAL') {
      ctx.log.error({ err }, 'proxy failure');
    }
  }

  function audit(
    a: Admitted,
    req: IncomingMessage,
    ctx: ProxyRequestContext,
    startedAt: number,
    status: number,
    upgrade: boolean,
  ): void {
    if (!a.kind.mutating && !upgrade) return;
    try {
      options.auditSink.write({
        kind: 'k8s-proxy',
        at: startedAt,
        requestId: ctx.requestId,
        userId: a.identity.userId,
        username: a.identity.username,
        groups: a.identity.groupPrincipalIds,
        tokenKind: a.identity.tokenKind,
        clusterId: a.target.clusterId,
        verb: a.kind.verb,
        method: req.method ?? 'GET',
        path: a.target.path,
        status,
        durationMs: now() - startedAt,
        remoteAddress: a.remoteAddress,
      });
    } catch (err) {
      ctx.log.error({ err }, 'audit sink failed');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, ctx: ProxyRequestContext) {
    const startedAt = now();
    let a: Admitted;
    try {
      a = await admit(req, false);
    } catch (err) {
      logRefusal(err, ctx);
      const { code, message, retryAfterSeconds } = statusOfError(err, ctx.requestId);
      sendKubeStatus(res, code, message, retryAfterSeconds);
      return;
    }
    const cluster = a.target.clusterId;
    const started = process.hrtime.bigint();
    metrics.requestStarted(cluster);
    if (a.kind.streaming) metrics.streamOpened(cluster, 'watch');
    const call = forwardPlain({
      req,
      res,
      connection: a.connection,
      path: a.path,
      headers: a.headers,
      streaming: a.kind.streaming,
      timeoutMs: requestTimeoutMs,
      maxBodyBytes,
      onAnswer: () => a.connection.gate.recordSuccess(),
      onFailure(failure) {
        if (failure.code.startsWith('UPSTREAM_')) {
          metrics.upstreamError(cluster, failure.code);
          if (countsAgainstCluster(failure)) a.connection.gate.recordFailure();
          ctx.log.warn({ err: failure.cause ?? failure, cluster }, failure.message);
        }
        const { code, message } = statusOfError(failure, ctx.requestId);
        sendKubeStatus(res, code, message);
      },
    });
    // Only watches and follows outlive a revocation by more than a request deadline; tracking
    // (and re-authenticating) plain requests too would add work to every call.
    const untrack = a.kind.streaming
      ? streams.add(a.identity, a.credentials, (_reason, why) => {
          call.abort();
          // On shutdown a watch ends like the API server ends one, so the client re-lists
          // elsewhere; a revoked caller's stream is cut.
          if (why === 'shutdown' && res.headersSent) res.end();
          else res.destroy();
        })
      : undefined;
    res.once('close', () => {
      untrack?.();
      if (!res.writableFinished) call.abort();
      if (a.kind.streaming) metrics.streamClosed(cluster, 'watch');
      const seconds = a.kind.streaming
        ? undefined
        : Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.headersSent ? res.statusCode : 0;
      metrics.requestEnded(cluster, a.kind.verb, status, seconds);
      audit(a, req, ctx, startedAt, status, false);
    });
  }

  async function upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    ctx: ProxyRequestContext,
  ) {
    const startedAt = now();
    socket.on('error', (err) => ctx.log.debug({ err }, 'proxy client socket error'));
    let a: Admitted;
    try {
      a = await admit(req, true);
    } catch (err) {
      logRefusal(err, ctx);
      const { code, message } = statusOfError(err, ctx.requestId);
      endSocketWithStatus(socket, code, message);
      return;
    }
    const cluster = a.target.clusterId;
    const { expected } = a;
    let status = 0;
    let upstreamSocket: Duplex | undefined;
    metrics.requestStarted(cluster);
    const untrack = streams.add(a.identity, a.credentials, (_reason, why) => {
      if (why === 'shutdown') {
        socket.end();
        upstreamSocket?.end();
        return;
      }
      socket.destroy();
      upstreamSocket?.destroy();
    });
    socket.once('close', () => {
      untrack();
      upstreamSocket?.destroy();
      if (status === 101) metrics.streamClosed(cluster, 'tunnel');
      metrics.requestEnded(cluster, a.kind.verb, status, undefined);
      audit(a, req, ctx, startedAt, status, true);
    });
    tunnels.open({
      req,
      socket,
      head,
      connection: a.connection,
      path: a.path,
      headers: a.headers,
      inspect(proxyReq: ClientRequest) {
        assertOutgoingHeaders(Object.entries(proxyReq.getHeaders()), expected);
      },
      onResponse(code, upstream) {
        status = code;
        a.connection.gate.recordSuccess();
        if (upstream !== undefined) {
          upstreamSocket = upstream;
          upstream.on('error', () => socket.destroy());
          upstream.once('close', () => socket.destroy());
          metrics.streamOpened(cluster, 'tunnel');
        }
      },
      onError(err) {
        const failure = isPaddockError(err) ? err : upstreamFailure(err, cluster);
        logRefusal(failure, ctx);
        if (failure.code.startsWith('UPSTREAM_')) {
          metrics.upstreamError(cluster, failure.code);
          if (countsAgainstCluster(failure)) a.connection.gate.recordFailure();
        }
        const { code, message } = statusOfError(failure, ctx.requestId);
        status = code;
        endSocketWithStatus(socket, code, message);
      },
    });
  }

  return {
    route: { name: 'k8s-proxy', path: PROXY_PREFIX.slice(0, -1), prefix: true, handle, upgrade },
    openStreams: streams,
    close() {
      streams.close();
      tunnels.close();
    },
  };
}
