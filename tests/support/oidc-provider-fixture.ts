/**
 * A real, certified OpenID Provider (`oidc-provider` 8) in this process, on a random loopback
 * port over plain http (openid-client talks to it with `allowInsecureRequests`, tests only).
 * Its built-in development login and consent pages stand in for a person at a browser; its
 * accounts are mutable so a test can change someone's groups between login and refresh.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export interface OidcTestAccount {
  readonly sub: string;
  readonly preferredUsername: string;
  readonly email?: string;
  readonly name?: string;
  groups: string[];
  /** Keycloak-style nested roles, released as `realm_access.roles` with the groups scope. */
  roles?: string[];
}

export interface OidcProviderFixture {
  /** `http://127.0.0.1:<port>`, the issuer identifier. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The only redirect URI the test client may use; nothing listens there. */
  readonly redirectUri: string;
  /** Accounts by `sub`; the login page's `login` field is the `sub`. */
  readonly accounts: Map<string, OidcTestAccount>;
  readonly provider: Provider;
  close(): Promise<void>;
}

export interface OidcProviderFixtureOptions {
  readonly accounts?: readonly OidcTestAccount[];
  /** Access and ID token lifetime in seconds. */
  readonly tokenTtlSeconds?: number;
  /** The test client's redirect URI (default one nothing listens on). */
  readonly redirectUri?: string;
}

export const DEFAULT_OIDC_ACCOUNTS: readonly OidcTestAccount[] = [
  {
    sub: 'alice-sub',
    preferredUsername: 'alice',
    email: 'alice@example.org',
    name: 'Alice Liddell',
    groups: ['devs', 'k8s-admins'],
    roles: ['viewer'],
  },
  { sub: 'bob-sub', preferredUsername: 'bob', email: 'bob@example.org', groups: [] },
];

export async function startOidcProvider(
  options: OidcProviderFixtureOptions = {},
): Promise<OidcProviderFixture> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const accounts = new Map<string, OidcTestAccount>();
  for (const account of options.accounts ?? DEFAULT_OIDC_ACCOUNTS) {
    accounts.set(account.sub, structuredClone(account));
  }

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = {
    ...(await exportJWK(privateKey)),
    kid: 'test-key-1',
    alg: 'RS256',
    use: 'sig',
  };
  const clientId = 'paddock-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:1/v1/auth/oidc/callback';
  const ttl = options.tokenTtlSeconds ?? 600;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups', 'realm_access'],
    },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
    },
    pkce: { required: () => true },
    // Paddock needs a refresh token to re-read groups; real IdPs differ on whether they
    // demand prompt=consent for that, this one just issues it.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 3600,
    },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        // Read at every token and userinfo request, so group changes show on refresh.
        claims: () => ({
          sub,
          preferred_username: account.preferredUsername,
          ...(account.email === undefined ? {} : { email: account.email, email_verified: true }),
          ...(account.name === undefined ? {} : { name: account.name }),
          groups: [...account.groups],
          ...(account.roles === undefined ? {} : { realm_access: { roles: [...account.roles] } }),
        }),
      };
    },
  };

  const provider = await withQuietNotices(() => new Provider(issuer, configuration));
  const callback = provider.callback();
  handler = (req, res) => {
    void callback(req, res);
  };

  return {
    issuer,
    clientId,
    clientSecret,
    redirectUri,
    accounts,
    provider,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** oidc-provider warns on stderr that dev interactions are for development: we know. */
async function withQuietNotices<T>(build: () => T): Promise<T> {
  const { warn, info } = console;
  console.warn = () => {};
  console.info = () => {};
  try {
    return build();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}
