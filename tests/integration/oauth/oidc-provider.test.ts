import { createServer, type Socket } from 'node:net';
import { expect } from 'chai';
import type { PendingRedirectLogin, RedirectStart } from '../../../src/domain/redirect-provider.js';
import { PaddockError } from '../../../src/errors/index.js';
import {
  OidcProvider,
  type OidcProviderConfigInput,
  oidcIssuerHash,
} from '../../../src/identity/oauth/index.js';
import { AesGcmSecretBox } from '../../../src/identity/secret-box.js';
import {
  type OidcProviderFixture,
  startOidcProvider,
} from '../../support/oidc-provider-fixture.js';
import { TestBrowser } from './test-browser.js';

const secretBox = new AesGcmSecretBox(Buffer.alloc(32, 9));

async function rejection(promise: Promise<unknown>): Promise<PaddockError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(PaddockError);
    return error as PaddockError;
  }
  throw new Error('expected a rejection');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('OidcProvider against an in-process OpenID Provider', () => {
  let fx: OidcProviderFixture;

  before(async () => {
    fx = await startOidcProvider();
  });
  after(async () => {
    await fx?.close();
  });

  function provider(overrides: Partial<OidcProviderConfigInput> = {}) {
    return new OidcProvider({
      config: {
        issuerUrl: fx.issuer,
        clientId: fx.clientId,
        clientSecret: fx.clientSecret,
        dangerouslyAllowInsecureHttp: true,
        ...overrides,
      },
      secretBox,
    });
  }

  /** Walks the IdP's login and consent pages like a person would; returns the callback URL. */
  async function signIn(
    start: RedirectStart,
    {
      login = 'alice-sub',
      consent = 'accept',
    }: { login?: string; consent?: 'accept' | 'deny' } = {},
  ): Promise<URLSearchParams> {
    const browser = new TestBrowser(fx.redirectUri);
    const loginPage = await browser.navigate(start.authorizationUrl);
    if (loginPage.kind !== 'page') throw new Error('expected the login page');
    expect(loginPage.html).to.contain('name="login"');
    const consentPage = await browser.submit(TestBrowser.formOf(loginPage.html), {
      login,
      password: 'any password',
    });
    if (consentPage.kind !== 'page') throw new Error('expected the consent page');
    expect(consentPage.html).to.contain('value="consent"');
    const back =
      consent === 'accept'
        ? await browser.submit(TestBrowser.formOf(consentPage.html))
        : await browser.navigate(TestBrowser.linkOf(consentPage.html, 'Cancel'));
    if (back.kind !== 'callback') throw new Error(`expected the callback, got ${back.url}`);
    return back.url.searchParams;
  }

  async function loggedIn(p: OidcProvider, login = 'alice-sub') {
    const start = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(start, { login });
    return p.finish({ callbackParams, pending: start.pending });
  }

  it('logs a user in through login and consent pages and returns the groups claim as groups', async () => {
    const p = provider();
    const start = await p.start({ redirectUri: fx.redirectUri });
    const authorize = new URL(start.authorizationUrl);
    expect(authorize.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(authorize.searchParams.get('nonce')).to.equal(start.pending.nonce);
    expect(authorize.searchParams.get('state')).to.equal(start.state);

    const callbackParams = await signIn(start);
    expect(callbackParams.get('state')).to.equal(start.state);
    const login = await p.finish({ callbackParams, pending: start.pending });

    expect(login.user).to.deep.equal({
      id: `oidc_user://${oidcIssuerHash(fx.issuer)}/alice-sub`,
      provider: 'oidc',
      kind: 'user',
      name: 'alice',
      displayName: 'Alice Liddell',
      email: 'alice@example.org',
    });
    expect(oidcIssuerHash(fx.issuer)).to.match(/^[0-9a-f]{16}$/);
    expect(login.groups).to.deep.equal([
      {
        id: 'oidc_group://devs',
        provider: 'oidc',
        kind: 'group',
        name: 'devs',
        displayName: 'devs',
      },
      {
        id: 'oidc_group://k8s-admins',
        provider: 'oidc',
        kind: 'group',
        name: 'k8s-admins',
        displayName: 'k8s-admins',
      },
    ]);
    expect(login.refreshMaterial).to.be.a('string');
  });

  it('reads username, email and groups from the claims it is configured with', async () => {
    const p = provider({ claims: { username: 'email', groups: 'realm_access.roles' } });
    const login = await loggedIn(p);
    expect(login.user.name).to.equal('alice@example.org');
    expect(login.groups.map((g) => g.id)).to.deep.equal(['oidc_group://viewer']);
  });

  it('falls back to sub as the username and has no groups when the claims are absent', async () => {
    const p = provider({ claims: { username: 'nickname', groups: 'teams' } });
    const login = await loggedIn(p, 'bob-sub');
    expect(login.user.name).to.equal('bob-sub');
    expect(login.groups).to.deep.equal([]);
  });

  it('refuses a callback whose state is not the one of the started login', async () => {
    const p = provider();
    const first = await p.start({ redirectUri: fx.redirectUri });
    const second = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(first);
    const error = await rejection(p.finish({ callbackParams, pending: second.pending }));
    expect(error.code).to.equal('UNAUTHENTICATED');
    expect(error.reason).to.equal('bad_state');
  });

  it('refuses an ID token whose nonce differs from the one sent', async () => {
    const p = provider();
    const start = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(start);
    const tampered: PendingRedirectLogin = { ...start.pending, nonce: 'not-the-nonce-we-sent' };
    const error = await rejection(p.finish({ callbackParams, pending: tampered }));
    expect(error.code).to.equal('UNAUTHENTICATED');
    expect(error.reason).to.equal('bad_id_token');
  });

  it('refuses a code redeemed with another PKCE verifier', async () => {
    const p = provider();
    const start = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(start);
    const tampered = { ...start.pending, codeVerifier: 'x'.repeat(43) };
    const error = await rejection(p.finish({ callbackParams, pending: tampered }));
    expect(error.code).to.equal('UNAUTHENTICATED');
    expect(error.reason).to.equal('bad_code');
  });

  it('refuses to redeem the same code twice', async () => {
    const p = provider();
    const start = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(start);
    await p.finish({ callbackParams, pending: start.pending });
    const error = await rejection(p.finish({ callbackParams, pending: start.pending }));
    expect(error.reason).to.equal('bad_code');
  });

  it('reports denied consent as consent_denied', async () => {
    const p = provider();
    const start = await p.start({ redirectUri: fx.redirectUri });
    const callbackParams = await signIn(start, { consent: 'deny' });
    expect(callbackParams.get('error')).to.equal('access_denied');
    const error = await rejection(p.finish({ callbackParams, pending: start.pending }));
    expect(error.code).to.equal('UNAUTHENTICATED');
    expect(error.reason).to.equal('consent_denied');
  });

  it('reports an unreachable issuer as UPSTREAM_UNAVAILABLE and tries discovery again later', async () => {
    const port = await closedPort();
    const p = provider({ issuerUrl: `http://127.0.0.1:${port}` });
    const error = await rejection(p.start({ redirectUri: fx.redirectUri }));
    expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
    expect(error.reason).to.equal('discovery_failed');
    const again = await rejection(p.start({ redirectUri: fx.redirectUri }));
    expect(again.reason).to.equal('discovery_failed');
  });

  it('reports an issuer without discovery metadata as a discovery failure', async () => {
    const p = provider({ issuerUrl: `${fx.issuer}/not-an-issuer` });
    const error = await rejection(p.start({ redirectUri: fx.redirectUri }));
    expect(error.code).to.equal('UPSTREAM_UNAVAILABLE');
    expect(error.reason).to.equal('discovery_failed');
  });

  it('gives up on an issuer that accepts the connection but never answers', async () => {
    const accepted = new Set<Socket>();
    const silent = createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const p = provider({ issuerUrl: `http://127.0.0.1:${address.port}`, requestTimeoutMs: 1000 });
      const error = await rejection(p.start({ redirectUri: fx.redirectUri }));
      expect(error.code).to.equal('UPSTREAM_TIMEOUT');
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("reads the new groups with the refresh token after the account's groups change", async () => {
    const p = provider();
    const login = await loggedIn(p);
    const alice = fx.accounts.get('alice-sub');
    if (alice === undefined) throw new Error('no alice');
    const before = alice.groups;
    alice.groups = ['devs', 'oncall'];
    try {
      const refresh = await p.refreshGroups(login.user, login.refreshMaterial);
      if (refresh.status !== 'ok') throw new Error(`expected ok, got ${refresh.reason}`);
      expect(refresh.groups.map((g) => g.id)).to.deep.equal([
        'oidc_group://devs',
        'oidc_group://oncall',
      ]);
      // The fixture rotates refresh tokens: the new one must be kept and must work.
      expect(refresh.refreshMaterial).to.be.a('string').and.not.equal(login.refreshMaterial);
      alice.groups = [];
      const second = await p.refreshGroups(login.user, refresh.refreshMaterial);
      expect(second).to.deep.include({ status: 'ok', groups: [] });
    } finally {
      alice.groups = before;
    }
  });

  it('says revoked when the IdP refuses the refresh token', async () => {
    const p = provider();
    const login = await loggedIn(p);
    const refreshToken = secretBox.open(
      login.refreshMaterial ?? '',
      `redirect-login:oidc:${login.user.id}`,
    );
    const revoke = await fetch(`${fx.issuer}/token/revocation`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${fx.clientId}:${fx.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token' }),
    });
    expect(revoke.status).to.equal(200);
    expect(await p.refreshGroups(login.user, login.refreshMaterial)).to.deep.equal({
      status: 'revoked',
      reason: 'refresh_token_refused',
    });
  });

  it('says revoked when a rotated-away refresh token is used again', async () => {
    const p = provider();
    const login = await loggedIn(p);
    const first = await p.refreshGroups(login.user, login.refreshMaterial);
    expect(first.status).to.equal('ok');
    expect(await p.refreshGroups(login.user, login.refreshMaterial)).to.deep.include({
      status: 'revoked',
    });
  });

  it('refuses a plain-http issuer unless explicitly allowed', () => {
    expect(() => provider({ dangerouslyAllowInsecureHttp: false })).to.throw(PaddockError, /https/);
  });
});
