import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import {
  type OidcProviderFixture,
  startOidcProvider,
} from '../../support/oidc-provider-fixture.js';
import { type PaddockProcess, startPaddock } from '../../support/paddock-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { TestBrowser } from '../oauth/test-browser.js';

describe('browser login through /v1/auth/oidc on a running Paddock', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let idp: OidcProviderFixture;
  let paddock: PaddockProcess;
  let callback: string;

  before(async () => {
    dir = await makeTempDir('oidc-login');
    const port = await freePort();
    const serverUrl = `https://localhost:${port}`;
    callback = `${serverUrl}/v1/auth/oidc/callback`;
    idp = await startOidcProvider({ redirectUri: callback });
    const config = join(dir.path, 'paddock.yaml');
    await writeFile(
      config,
      stringify({
        serverUrl,
        auth: {
          oidc: {
            settings: {
              issuerUrl: idp.issuer,
              clientId: idp.clientId,
              clientSecret: idp.clientSecret,
              dangerouslyAllowInsecureHttp: true,
            },
          },
        },
      }),
    );
    paddock = await startPaddock({
      port,
      dataDir: join(dir.path, 'data'),
      env: { PADDOCK_CONFIG: config },
    });
  });

  after(async () => {
    await paddock?.stop();
    await idp?.close();
    await dir?.remove();
  });

  async function start(): Promise<{ location: string; stateCookie: string }> {
    const res = await fetchText(`${paddock.url}/v1/auth/oidc/start`, { ca: paddock.caPem });
    expect(res.status, res.body).to.equal(302);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.contain('HttpOnly').and.to.contain('Secure');
    return { location: String(res.headers.location), stateCookie: cookie.split(';')[0] ?? '' };
  }

  async function signIn(authorizationUrl: string): Promise<URL> {
    const browser = new TestBrowser(callback);
    const login = await browser.navigate(authorizationUrl);
    if (login.kind !== 'page') throw new Error('expected the login page');
    const consent = await browser.submit(TestBrowser.formOf(login.html), {
      login: 'alice-sub',
      password: 'x',
    });
    if (consent.kind !== 'page') throw new Error('expected the consent page');
    const back = await browser.submit(TestBrowser.formOf(consent.html));
    if (back.kind !== 'callback') throw new Error(`expected the callback, got ${back.url}`);
    return back.url;
  }

  it('redirects to the provider, and the callback from the same browser signs the user in', async () => {
    const { location, stateCookie } = await start();
    expect(location.startsWith(`${idp.issuer}/`)).to.equal(true);
    const back = await signIn(location);
    const res = await fetchText(`${paddock.url}${back.pathname}${back.search}`, {
      headers: { cookie: stateCookie, accept: 'application/json' },
      ca: paddock.caPem,
    });
    expect(res.status, res.body).to.equal(200);
    expect(String(res.headers['set-cookie'])).to.contain('paddock_session=');
    const { token, username } = JSON.parse(res.body);
    expect(username).to.equal('alice');
    const me = await fetchText(`${paddock.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { provider principals { id } } }' }),
      ca: paddock.caPem,
    });
    const ids = JSON.parse(me.body).data.me.principals.map((p: { id: string }) => p.id);
    expect(ids).to.include('oidc_group://devs');
  });

  it('tells an anonymous login page which providers are enabled and where redirects start', async () => {
    const res = await fetchText(`${paddock.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ loginProviders { name kind startPath } }' }),
      ca: paddock.caPem,
    });
    expect(res.status, res.body).to.equal(200);
    expect(JSON.parse(res.body).data.loginProviders).to.deep.equal([
      { name: 'local', kind: 'PASSWORD', startPath: null },
      { name: 'oidc', kind: 'REDIRECT', startPath: '/v1/auth/oidc/start' },
    ]);
  });

  it('lands a browser in the web console at / signed in by the session cookie', async () => {
    const { location, stateCookie } = await start();
    const back = await signIn(location);
    const res = await fetchText(`${paddock.url}${back.pathname}${back.search}`, {
      headers: { cookie: stateCookie, accept: 'text/html' },
      ca: paddock.caPem,
    });
    expect(res.status, res.body).to.equal(302);
    expect(res.headers.location).to.equal('/');
    const session = [res.headers['set-cookie'] ?? []]
      .flat()
      .find((c) => c.startsWith('paddock_session='));
    expect(session).to.not.equal(undefined);
    const page = await fetchText(`${paddock.url}/`, {
      headers: { accept: 'text/html' },
      ca: paddock.caPem,
    });
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.contain('text/html');
    const me = await fetchText(`${paddock.url}/graphql`, {
      method: 'POST',
      headers: { cookie: session?.split(';')[0] ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { username } }' }),
      ca: paddock.caPem,
    });
    expect(JSON.parse(me.body).data.me.username).to.equal('alice');
  });

  it("answers me.can from the caller's global roles: the admin may change settings and list users, a new OIDC user may not", async () => {
    const ask = async (headers: Record<string, string>) => {
      const res = await fetchText(`${paddock.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          query:
            '{ me { settings: can(verb: "update", resource: "settings") listUsers: can(verb: "list", resource: "users") } }',
        }),
        ca: paddock.caPem,
      });
      return JSON.parse(res.body);
    };
    const admin = await fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'test-bootstrap-password' }),
      ca: paddock.caPem,
    });
    const adminToken = JSON.parse(admin.body).token;
    expect((await ask({ authorization: `Bearer ${adminToken}` })).data.me).to.deep.equal({
      settings: true,
      listUsers: true,
    });
    const { location, stateCookie } = await start();
    const back = await signIn(location);
    const res = await fetchText(`${paddock.url}${back.pathname}${back.search}`, {
      headers: { cookie: stateCookie, accept: 'application/json' },
      ca: paddock.caPem,
    });
    const alice = JSON.parse(res.body).token;
    expect((await ask({ authorization: `Bearer ${alice}` })).data.me).to.deep.equal({
      settings: false,
      listUsers: false,
    });
    const bad = await ask({ authorization: `Bearer ${alice}` }).then(() =>
      fetchText(`${paddock.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}` },
        body: JSON.stringify({ query: '{ me { can(verb: "get", resource: "../users") } }' }),
        ca: paddock.caPem,
      }),
    );
    expect(JSON.parse(bad.body).errors[0].extensions.code).to.equal('BAD_USER_INPUT');
  });

  it('refuses a callback that arrives without the state cookie of the browser that started it', async () => {
    const { location } = await start();
    const back = await signIn(location);
    const res = await fetchText(`${paddock.url}${back.pathname}${back.search}`, {
      headers: { accept: 'application/json' },
      ca: paddock.caPem,
    });
    expect(res.status).to.equal(401);
    expect(JSON.parse(res.body).error.reason).to.equal('bad_state');
  });
});
