/**
 * TLS to an agent cluster's API server, opened over a tunnel stream instead of a TCP dial. The
 * TLS settings are the cluster's own (its CA, server name, verification), so TLS stays end to
 * end: the agent relays bytes it cannot read. Each of a cluster's four clients (the proxy's
 * HTTP/1.1 and HTTP/2 pools, the upgrade agent, the undici pool) gets its sockets here.
 */
import { Agent, type AgentOptions } from 'node:https';
import { type ConnectionOptions, connect as connectTls, type TLSSocket } from 'node:tls';
import type { buildConnector } from 'undici';
import type { TunnelDialer } from './tunnel-hub.js';
import { tunnelError } from './tunnel-protocol.js';

/** What a TLS connection to the API server needs besides the stream it runs on. */
export type TunnelTlsOptions = Pick<
  ConnectionOptions,
  'ca' | 'servername' | 'rejectUnauthorized' | 'ALPNProtocols'
>;

/** A TLS client socket on a fresh tunnel stream to `authority`. */
export function tlsThroughTunnel(
  dial: TunnelDialer,
  authority: string,
  options: TunnelTlsOptions,
): TLSSocket {
  return connectTls({ ...options, socket: dial(authority) });
}

/**
 * An https.Agent (for http-proxy's upgrades: exec, attach, port-forward) whose connections
 * are tunnel streams. Keep-alive and socket reuse work as with any agent.
 */
export class TunnelAgent extends Agent {
  readonly #open: () => TLSSocket;

  constructor(options: AgentOptions, open: () => TLSSocket) {
    super(options);
    this.#open = open;
  }

  // Node calls this with the request's options; the tunnel fixes where the socket goes and
  // the cluster's settings fix its TLS, so they are not read.
  override createConnection(): TLSSocket {
    return this.#open();
  }
}

/** An undici `connect` function: the pool's connections become TLS over tunnel streams. */
export function tunnelConnector(
  open: () => TLSSocket,
  connectTimeoutMs: number,
): buildConnector.connector {
  return (_options, callback) => {
    const socket = open();
    let settled = false;
    const timer = setTimeout(() => {
      socket.destroy(tunnelError('connecting to the cluster through its agent timed out'));
    }, connectTimeoutMs);
    timer.unref();
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      callback(null, socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      callback(err, null);
    });
  };
}
