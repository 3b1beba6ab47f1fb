import * as net from 'node:net';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { Client, type ClientOptions, InvalidCredentialsError, ResultCodeError } from 'ldapts';
import { PaddockError } from '../../errors/index.js';
import type { LdapProviderConfig } from './ldap-config.js';

/** One directory server of the failover list. */
export interface LdapServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Builds the ldapts client; tests replace it to count or observe connections. */
export type LdapClientFactory = (options: ClientOptions) => Client;

export interface LdapConnectOptions {
  readonly createClient?: LdapClientFactory;
}

/** A client connected (and TLS-protected when configured) and bound as the service account. */
export interface LdapConnection {
  readonly client: Client;
  readonly server: LdapServerAddress;
  /** Binds as the service account again (after a user bind on the same connection). */
  rebindServiceAccount(): Promise<void>;
  close(): Promise<void>;
}

/** Splits `host`, `host:port` and `[v6]:port` entries; the default port follows the TLS mode. */
export function parseServers(config: LdapProviderConfig): LdapServerAddress[] {
  const defaultPort = config.port ?? (config.tls.mode === 'ldaps' ? 636 : 389);
  return config.servers.map((entry) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    if (bracketed) {
      return { host: bracketed[1] as string, port: portOf(bracketed[2], defaultPort, entry) };
    }
    if (isIP(entry) === 6) return { host: entry, port: defaultPort };
    const [host, port, ...rest] = entry.split(':');
    if (!host || rest.length > 0)
      throw new PaddockError('CONFIG_INVALID', `bad LDAP server ${entry}`);
    return { host, port: portOf(port, defaultPort, entry) };
  });
}

function portOf(text: string | undefined, fallback: number, entry: string): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PaddockError('CONFIG_INVALID', `bad port in LDAP server ${entry}`);
  }
  return port;
}

function tlsOptionsFor(
  config: LdapProviderConfig,
  server: LdapServerAddress,
): tls.ConnectionOptions {
  const { caPem, serverName, dangerouslySkipTlsVerify } = config.tls;
  const expectedName = serverName ?? server.host;
  return {
    ...(caPem === undefined ? {} : { ca: caPem }),
    // SNI must not carry an IP address (RFC 6066); the identity check below still runs.
    ...(isIP(expectedName) === 0 ? { servername: expectedName } : {}),
    host: server.host,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: !dangerouslySkipTlsVerify,
    checkServerIdentity: (_host, cert) =>
      dangerouslySkipTlsVerify ? undefined : tls.checkServerIdentity(expectedName, cert),
  };
}

function urlOf(config: LdapProviderConfig, server: LdapServerAddress): string {
  const scheme = config.tls.mode === 'ldaps' ? 'ldaps' : 'ldap';
  const host = isIP(server.host) === 6 ? `[${server.host}]` : server.host;
  return `${scheme}://${host}:${server.port}`;
}

/** Why a server could not be used; carried as the error reason when every server failed. */
type ConnectFailure = 'timeout' | 'unreachable' | 'tls' | 'service_bind_rejected';

class ServerAttemptError extends Error {
  constructor(
    readonly failure: ConnectFailure,
    readonly server: LdapServerAddress,
    options: { cause: unknown },
  ) {
    super(`${server.host}:${server.port}: ${failure}`, options);
  }
}

function classify(err: unknown): ConnectFailure {
  if (err instanceof ResultCodeError) return 'unreachable';
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|SELF_SIGNED|DEPTH_ZERO|HOSTNAME)/.test(code)
  ) {
    return 'tls';
  }
  if (err instanceof Error && /certificate|TLS|SSL/i.test(err.message)) return 'tls';
  return 'unreachable';
}

/**
 * Connects to the first server that answers: TCP (and TLS for LDAPS), StartTLS when configured,
 * then the service-account bind, all within `connectionTimeoutMs` per server. A server that
 * refuses, times out or fails TLS is skipped for the next one; a rejected service account is not
 * (every replica would reject it). All servers down ⇒ `UPSTREAM_UNAVAILABLE`.
 */
export async function connectLdap(
  config: LdapProviderConfig,
  options: LdapConnectOptions = {},
): Promise<LdapConnection> {
  const attempts: ServerAttemptError[] = [];
  for (const server of parseServers(config)) {
    try {
      return await connectOne(config, server, options);
    } catch (err) {
      if (!(err instanceof ServerAttemptError)) throw err;
      attempts.push(err);
      if (err.failure === 'service_bind_rejected') break;
    }
  }
  const last = attempts.at(-1);
  throw new PaddockError('UPSTREAM_UNAVAILABLE', 'directory server unavailable', {
    reason:
      last?.failure === 'service_bind_rejected' ? 'ldap_service_bind_rejected' : 'ldap_unreachable',
    details: { attempts: attempts.map((a) => a.message) },
    cause: last,
  });
}

async function connectOne(
  config: LdapProviderConfig,
  server: LdapServerAddress,
  options: LdapConnectOptions,
): Promise<LdapConnection> {
  const sockets: Socket[] = [];
  // Once established, the connection must never be re-opened behind our back: ldapts would
  // silently reconnect without StartTLS and unbound, and a later bind would send a password in
  // clear. Refusing new sockets turns a dropped connection into an error instead.
  let sealed = false;
  const guard = <T extends Socket>(socket: T): T => {
    if (sealed) throw new Error('LDAP connection was closed; not reconnecting');
    sockets.push(socket);
    return socket;
  };
  const tlsOptions = tlsOptionsFor(config, server);
  const clientOptions: ClientOptions = {
    url: urlOf(config, server),
    connectTimeout: config.connectionTimeoutMs,
    timeout: config.operationTimeoutMs,
    strictDN: false,
    createConnection: ((...args: Parameters<typeof net.connect>) =>
      guard(net.connect(...args))) as typeof net.connect,
    createSecureConnection: ((...args: Parameters<typeof tls.connect>) =>
      guard(tls.connect(...args))) as typeof tls.connect,
    // ldapts switches to TLS from the first byte whenever tlsOptions is set, so StartTLS gets its
    // options only in startTLS().
    ...(config.tls.mode === 'ldaps' ? { tlsOptions } : {}),
  };
  const client = (options.createClient ?? ((o) => new Client(o)))(clientOptions);
  const destroy = () => {
    sealed = true;
    for (const socket of sockets) socket.destroy();
  };
  const bindService = () =>
    client.bind(config.serviceAccount.bindDn, config.serviceAccount.password);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      destroy();
      reject(new ServerAttemptError('timeout', server, { cause: new Error('connection timeout') }));
    }, config.connectionTimeoutMs);
  });
  const establish = async () => {
    if (config.tls.mode === 'starttls') await client.startTLS(tlsOptions);
    try {
      await bindService();
    } catch (err) {
      if (err instanceof InvalidCredentialsError) {
        throw new ServerAttemptError('service_bind_rejected', server, { cause: err });
      }
      throw err;
    }
  };
  try {
    await Promise.race([establish(), deadline]);
  } catch (err) {
    destroy();
    if (err instanceof ServerAttemptError) throw err;
    throw new ServerAttemptError(classify(err), server, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  sealed = true;
  return {
    client,
    server,
    rebindServiceAccount: bindService,
    async close() {
      try {
        await client.unbind();
      } catch {
        // The connection is being dropped anyway.
      } finally {
        destroy();
      }
    },
  };
}
