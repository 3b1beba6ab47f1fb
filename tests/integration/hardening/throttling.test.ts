/**
 * Guessing attacks against a running Paddock with kubesim, from several loopback source
 * addresses (any 127.x address reaches the 127.0.0.1 listener): hammering the admin's
 * password must slow the attacker down without locking the admin out, and wrong API keys
 * must get 429 after a burst.
 */
import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import {
  ADMIN_PASSWORD,
  type RunningPaddock,
  startRunningPaddock,
} from './support/running-paddock.js';

describe('throttling on a running Paddock', function () {
  this.timeout(180_000);
  let p: RunningPaddock;

  before(async () => {
    p = await startRunningPaddock({ clusters: ['east'] });
  });
  after(() => p?.stop());

  it('slows an attacker hammering admin from several addresses but lets admin in from a fresh one', async () => {
    const attackers = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    // A distributed attack: every address guesses at the same time.
    await Promise.all(
      attackers.map(async (localAddress) => {
        for (let i = 0; i < 7; i++) {
          const res = await p.login('admin', `wrong-password-${i}`, { localAddress });
          statuses.push(res.status);
          if (res.status === 429) retryAfter = String(res.headers['retry-after']);
        }
      }),
    );
    expect(statuses.filter((s) => s === 401).length).to.be.at.least(25);
    expect(statuses).to.include(429);
    expect(Number(retryAfter)).to.be.at.least(1);
    // The real admin, from an address that never failed, gets in: slowed, never refused.
    const started = Date.now();
    const admin = await p.login('admin', ADMIN_PASSWORD, { localAddress: '127.0.0.9' });
    expect(admin.status, admin.body).to.equal(200);
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('answers 429 with Retry-After to an address that keeps presenting wrong API keys', async () => {
    const keyId = 'a'.repeat(16);
    const seen: number[] = [];
    let last: Awaited<ReturnType<typeof fetchText>> | undefined;
    for (let i = 0; i < 30; i++) {
      last = await fetchText(`${p.paddock.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer pdk_${keyId}_${String(i).padStart(43, 'x')}`,
        },
        body: '{"query":"{ me { username } }"}',
        ca: p.paddock.caPem,
        localAddress: '127.0.0.7',
        agent: false,
      });
      seen.push(last.status);
    }
    expect(seen.slice(0, 20).every((s) => s === 401)).to.equal(true);
    expect(seen.slice(20).every((s) => s === 429)).to.equal(true);
    expect(Number(last?.headers['retry-after'])).to.be.at.least(1);
    // The proxy refuses the same address the way kubectl understands.
    const proxied = await fetchText(`${p.paddock.url}/k8s/clusters/east/api/v1/namespaces`, {
      headers: { authorization: `Bearer pdk_${keyId}_${'y'.repeat(43)}` },
      ca: p.paddock.caPem,
      localAddress: '127.0.0.7',
      agent: false,
    });
    expect(proxied.status).to.equal(429);
    expect(JSON.parse(proxied.body)).to.include({ kind: 'Status', reason: 'TooManyRequests' });
    expect(proxied.headers['retry-after']).to.match(/^\d+$/);
    // Another address is not affected.
    const other = await fetchText(`${p.paddock.url}/k8s/clusters/east/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${p.adminToken}` },
      ca: p.paddock.caPem,
      localAddress: '127.0.0.8',
      agent: false,
    });
    expect(other.status).to.equal(200);
  });
});
