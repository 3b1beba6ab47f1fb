/**
 * The anonymous half of a browser login on a running Paddock with an OIDC provider: the
 * callback URL must not come from a forged Host header, a Paddock that does not know its own
 * URL must refuse to start such logins, and a flood of `/start` calls must not fill the store.
 */
import { join } from 'node:path';
import { expect } from 'chai';
import { pendingLoginsCollection } from '../../../src/identity/oauth/index.js';
import { openStore } from '../../../src/store/index.js';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import {
  type OidcProviderFixture,
  startOidcProvider,
} from '../../support/oidc-provider-fixture.js';
import { type RunningPaddock, startRunningPaddock } from './support/running-paddock.js';

const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
};

function oidcSection(idp: OidcProviderFixture) {
  return {
    oidc: {
      settings: {
        issuerUrl: idp.issuer,
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        dangerouslyAllowInsecureHttp: true,
      },
    },
  };
}

describe('starting an OIDC login on a running Paddock', function () {
  this.timeout(300_000);
  let idp: OidcProviderFixture;
  let p: RunningPaddock;
  let serverUrl: string;

  before(async () => {
    const port = await freePort();
    serverUrl = `https://localhost:${port}`;
    idp = await startOidcProvider({ redirectUri: `${serverUrl}/v1/auth/oidc/callback` });
    // No serverUrl in the configuration: the first test runs before the setting exists.
    p = await startRunningPaddock({ port, configFile: { auth: oidcSection(idp) } });
  });
  after(async () => {
    await p?.stop();
    await idp?.close();
  });

  const start = (headers: Record<string, string> = {}) =>
    fetchText(`${p.paddock.url}/v1/auth/oidc/start`, {
      headers,
      ca: p.paddock.caPem,
      servername: 'localhost',
    });

  it('refuses to start without server-url, naming the setting, instead of trusting Host', async () => {
    for (const headers of [{}, FORGED]) {
      const res = await start(headers);
      expect(res.status, res.body).to.equal(400);
      const error = JSON.parse(res.body).error;
      expect(error.reason).to.equal('server_url_unset');
      expect(error.message).to.contain('server-url');
      expect(res.headers.location).to.equal(undefined);
    }
  });

  it('builds the callback URL from the server-url setting, whatever Host the request names', async () => {
    const set = await p.graphql(
      p.adminToken,
      'mutation($v: String) { updateSetting(name: "server-url", value: $v) { value } }',
      { v: serverUrl },
    );
    expect(set.errors, JSON.stringify(set.errors)).to.equal(undefined);
    const res = await start(FORGED);
    expect(res.status, res.body).to.equal(302);
    const location = new URL(String(res.headers.location));
    expect(location.searchParams.get('redirect_uri')).to.equal(
      `${serverUrl}/v1/auth/oidc/callback`,
    );
    expect(String(res.headers.location)).not.to.contain('evil.example');
  });

  it('keeps a bounded number of pending logins however often anonymous callers start one', async () => {
    const calls = 10_000;
    let next = 0;
    const statuses = new Map<number, number>();
    let retryAfter: string | undefined;
    const worker = async () => {
      while (next < calls) {
        next += 1;
        const res = await p.get('/v1/auth/oidc/start');
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) retryAfter = String(res.headers['retry-after']);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(statuses.get(302)).to.be.at.least(1).and.at.most(50);
    expect(statuses.get(429)).to.equal(calls - (statuses.get(302) ?? 0));
    expect(Number(retryAfter)).to.be.above(0);
    // A login from another address still starts.
    const other = await fetchText(`${p.paddock.url}/v1/auth/oidc/start`, {
      ca: p.paddock.caPem,
      localAddress: '127.0.0.2',
      agent: false,
    });
    expect(other.status, other.body).to.equal(302);
    expect(await p.paddock.stop()).to.equal(0);
    const store = await openStore({ dataDir: join(p.dir, 'data'), sweepIntervalMs: 0 });
    try {
      const pending = await store.collection(pendingLoginsCollection).list();
      expect(pending.length).to.be.at.most(51);
    } finally {
      await store.close();
    }
  });
});
