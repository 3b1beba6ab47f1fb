import { PaddockError } from '../../errors/index.js';

export interface RedisHostPort {
  readonly host: string;
  readonly port: number;
}

interface Credentials {
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

/** Where and how to reach Redis, parsed from `PADDOCK_REDIS_URL`. */
export type RedisTarget =
  | (Credentials & {
      readonly mode: 'standalone';
      readonly node: RedisHostPort;
      readonly db: number;
    })
  | (Credentials & {
      readonly mode: 'sentinel';
      readonly sentinels: readonly RedisHostPort[];
      readonly masterName: string;
      readonly db: number;
      readonly sentinelPassword?: string;
    })
  | (Credentials & { readonly mode: 'cluster'; readonly nodes: readonly RedisHostPort[] });

export const REDIS_URL_FORMS = [
  'redis://[user:password@]host[:port][/db]',
  'rediss://... (TLS)',
  'redis+sentinel://[user:password@]host:port[,host:port...]/masterName[/db][?sentinelPassword=...]',
  'redis+cluster://[user:password@]host:port[,host:port...]',
  '(rediss+sentinel:// and rediss+cluster:// for TLS)',
] as const;

const SCHEMES: Record<string, { mode: RedisTarget['mode']; tls: boolean; defaultPort: number }> = {
  'redis:': { mode: 'standalone', tls: false, defaultPort: 6379 },
  'rediss:': { mode: 'standalone', tls: true, defaultPort: 6379 },
  'redis+sentinel:': { mode: 'sentinel', tls: false, defaultPort: 26379 },
  'rediss+sentinel:': { mode: 'sentinel', tls: true, defaultPort: 26379 },
  'redis+cluster:': { mode: 'cluster', tls: false, defaultPort: 6379 },
  'rediss+cluster:': { mode: 'cluster', tls: true, defaultPort: 6379 },
};

/** Parses a Redis URL, throwing `CONFIG_INVALID` with the problem (password masked). */
export function parseRedisUrl(url: string): RedisTarget {
  const fail = (problem: string): never => {
    throw new PaddockError(
      'CONFIG_INVALID',
      `Invalid Redis URL "${maskPassword(url)}": ${problem}. Expected one of: ${REDIS_URL_FORMS.join('; ')}`,
      { reason: 'redis_url' },
    );
  };
  const schemeEnd = url.indexOf('//');
  const scheme = SCHEMES[url.slice(0, Math.max(schemeEnd, 0)).toLowerCase()];
  if (schemeEnd < 0 || scheme === undefined) {
    return fail('unknown scheme (use redis://, rediss://, redis+sentinel:// or redis+cluster://)');
  }
  let rest = url.slice(schemeEnd + 2);
  let query = '';
  const queryStart = rest.indexOf('?');
  if (queryStart >= 0) {
    query = rest.slice(queryStart + 1);
    rest = rest.slice(0, queryStart);
  }
  const slash = rest.indexOf('/');
  let authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? rest.slice(slash + 1) : '';
  let username: string | undefined;
  let password: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userInfo.indexOf(':');
    const rawUser = colon >= 0 ? userInfo.slice(0, colon) : userInfo;
    const rawPassword = colon >= 0 ? userInfo.slice(colon + 1) : undefined;
    username = rawUser === '' ? undefined : decode(rawUser, 'user name', fail);
    password = rawPassword === undefined ? undefined : decode(rawPassword, 'password', fail);
    // `redis://secret@host` is the common shorthand for a password without a user name.
    if (colon < 0 && username !== undefined) {
      password = username;
      username = undefined;
    }
  }
  if (authority === '') return fail('no host given');
  const hosts = authority.split(',').map((part) => parseHostPort(part, scheme.defaultPort, fail));
  const params = new URLSearchParams(query);
  const sentinelPassword = params.get('sentinelPassword') ?? undefined;
  for (const key of params.keys()) {
    if (scheme.mode !== 'sentinel' || key !== 'sentinelPassword') {
      fail(`unsupported query parameter "${key}"`);
    }
  }
  const credentials: Credentials = {
    tls: scheme.tls,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
  };
  const segments = path === '' ? [] : path.split('/');
  switch (scheme.mode) {
    case 'standalone': {
      if (hosts.length !== 1)
        return fail(
          'a redis:// URL takes exactly one host (use redis+cluster:// or redis+sentinel:// for several)',
        );
      if (segments.length > 1) return fail('the path may only hold the database number');
      return {
        mode: 'standalone',
        node: hosts[0]!,
        db: parseDb(segments[0], fail),
        ...credentials,
      };
    }
    case 'sentinel': {
      const masterName = segments[0];
      if (masterName === undefined || masterName === '') {
        return fail('the master name is missing (redis+sentinel://host:port/masterName)');
      }
      if (segments.length > 2) return fail('the path may only hold /masterName[/db]');
      return {
        mode: 'sentinel',
        sentinels: hosts,
        masterName: decode(masterName, 'master name', fail),
        db: parseDb(segments[1], fail),
        ...(sentinelPassword === undefined ? {} : { sentinelPassword }),
        ...credentials,
      };
    }
    case 'cluster': {
      if (segments.length > 0) return fail('Redis Cluster has no databases, so no path is allowed');
      return { mode: 'cluster', nodes: hosts, ...credentials };
    }
  }
}

/** The URL with any password replaced by `***`, safe for logs and error messages. */
export function maskPassword(url: string): string {
  return url.replace(/^([^:]+:\/\/)([^@/]*)@/, (_, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    return colon >= 0 ? `${scheme}${userInfo.slice(0, colon)}:***@` : `${scheme}***@`;
  });
}

function parseHostPort(
  part: string,
  defaultPort: number,
  fail: (problem: string) => never,
): RedisHostPort {
  let host: string;
  let portText: string | undefined;
  if (part.startsWith('[')) {
    const close = part.indexOf(']');
    if (close < 0) return fail(`unclosed IPv6 bracket in "${part}"`);
    host = part.slice(1, close);
    const after = part.slice(close + 1);
    if (after !== '' && !after.startsWith(':'))
      return fail(`unexpected text after "${part.slice(0, close + 1)}"`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const colon = part.lastIndexOf(':');
    host = colon >= 0 ? part.slice(0, colon) : part;
    portText = colon >= 0 ? part.slice(colon + 1) : undefined;
  }
  if (host === '') return fail(`empty host in "${part}"`);
  if (!/^[A-Za-z0-9._:%-]+$/.test(host)) return fail(`invalid host "${host}"`);
  if (portText === undefined) return { host, port: defaultPort };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    return fail(`invalid port "${portText}" (expected 1-65535)`);
  }
  return { host, port };
}

function parseDb(segment: string | undefined, fail: (problem: string) => never): number {
  if (segment === undefined || segment === '') return 0;
  if (!/^\d+$/.test(segment)) return fail(`invalid database number "${segment}"`);
  return Number(segment);
}

function decode(text: string, what: string, fail: (problem: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(`the ${what} is not correctly percent-encoded`);
  }
}
