import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import type { ClusterConnection } from '../domain/cluster.js';
import { hardenResponseHeaders } from './response-hardening.js';

/** What the route hands over for one upgrade (exec, attach, port-forward, WebSocket watch). */
export interface TunnelRequest {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly connection: ClusterConnection;
  /** Path on the wire, query included. */
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  /** Last look at the real outgoing request; throwing refuses it before a byte is sent. */
  readonly inspect: (proxyReq: ClientRequest) => void;
  /** The cluster answered: 101 (tunnel open) or any other status (relayed, then closed). */
  readonly onResponse: (status: number, upstream?: Duplex) => void;
  /** The cluster could not be reached, or `inspect` refused the request. */
  readonly onError: (err: unknown) => void;
}

export interface UpgradeTunnels {
  open(t: TunnelRequest): void;
  close(): void;
}

type WsPass = ((...args: unknown[]) => unknown) & { name: string };

/**
 * WebSocket and SPDY tunnels through `http-proxy`. Its stock first pass accepts only
 * `GET` + `Upgrade: websocket`, which would refuse kubectl's SPDY exec (`POST` +
 * `Upgrade: SPDY/3.1`); the route has already validated the request, so that pass is dropped.
 * Every error path of http-proxy is bound: an unhandled one would crash the process.
 */
export function createUpgradeTunnels(): UpgradeTunnels {
  const proxy = httpProxy.createProxyServer({ ws: true, xfwd: false, ignorePath: true });
  const internals = proxy as unknown as { wsPasses: WsPass[] };
  internals.wsPasses = internals.wsPasses.filter((p) => p.name !== 'checkMethodAndHeader');
  const pending = new WeakMap<IncomingMessage, TunnelRequest>();

  proxy.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => {
    const t = pending.get(req);
    if (t === undefined) {
      proxyReq.destroy(new Error('untracked upgrade'));
      return;
    }
    try {
      t.inspect(proxyReq);
    } catch (err) {
      pending.delete(req);
      proxyReq.destroy();
      t.onError(err);
      return;
    }
    // Registered before http-proxy's own listeners, which write these heads to the client.
    proxyReq.on('response', (res: IncomingMessage) => {
      hardenResponseHeaders(res.headers);
      if (!(res as { upgrade?: boolean }).upgrade) t.onResponse(res.statusCode ?? 502);
    });
    proxyReq.on('upgrade', (res: IncomingMessage, upstream: Socket) => {
      hardenResponseHeaders(res.headers);
      t.onResponse(101, upstream);
    });
  });
  // Fallback for errors without a per-call callback; should never fire.
  proxy.on('error', (_err: Error, _req: IncomingMessage, target: unknown) => {
    (target as Duplex | undefined)?.destroy?.();
  });

  return {
    open(t) {
      const { req, connection } = t;
      pending.set(req, t);
      // http-proxy builds the outgoing request from req.headers; Paddock's set replaces them.
      req.headers = t.headers as IncomingMessage['headers'];
      const endpoint = connection.endpoint;
      proxy.ws(
        req,
        t.socket,
        t.head,
        {
          target: {
            protocol: 'https:',
            host: endpoint.hostname.replace(/^\[|\]$/g, ''),
            port: endpoint.port || '443',
            path: t.path,
          } as unknown as string,
          agent: connection.agent,
          secure: true,
        },
        (err: Error) => {
          if (!pending.has(req)) return; // already reported (refused by inspect)
          pending.delete(req);
          t.onError(err);
        },
      );
    },
    close() {
      proxy.close();
    },
  };
}
