/**
 * Attacks on derived credentials against a running Paddock with kubesim and real kubectl: a
 * kubeconfig token must not outlive the API key it was downloaded with, a cluster-scoped key
 * must not mint or manage keys, and downloads must not pile up tokens.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { parse } from 'yaml';
import { waitFor } from '../../support/wait-for.js';
import { kubectl, type RunningPaddock, startRunningPaddock } from './support/running-paddock.js';

const DAY_MS = 24 * 3600 * 1000;

describe('derived tokens on a running Paddock', function () {
  this.timeout(120_000);
  let p: RunningPaddock;

  before(async () => {
    p = await startRunningPaddock({ clusters: ['east', 'west'] });
  });
  after(() => p?.stop());

  async function createKey(
    token: string,
    input: Record<string, unknown> = {},
  ): Promise<{ token: string; keyId: string; expiresAt: string | null }> {
    const res = await p.graphql(
      token,
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { token key { keyId expiresAt } } }',
      { input },
    );
    expect(res.errors, JSON.stringify(res.errors)).to.equal(undefined);
    return { token: res.data.createApiKey.token, ...res.data.createApiKey.key };
  }

  async function kubeconfigTokens(): Promise<
    { keyId: string; expiresAt: string | null; parentKeyId: string | null; description: string }[]
  > {
    const res = await p.graphql(
      p.adminToken,
      '{ apiKeys(kind: KUBECONFIG) { keyId expiresAt parentKeyId description } }',
    );
    expect(res.errors).to.equal(undefined);
    return res.data.apiKeys;
  }

  const download = (token: string, query = '') =>
    p.get(`/v1/kubeconfig${query}`, { authorization: `Bearer ${token}` });

  it('stops the kubeconfig downloaded with an API key once the key is revoked', async () => {
    const key = await createKey(p.adminToken, { description: 'ci' });
    const res = await download(key.token);
    expect(res.status, res.body).to.equal(200);
    const file = await p.file('from-key.kubeconfig', res.body);
    const before = await kubectl(file, ['--context', 'east', 'get', 'namespaces']);
    expect(before.code, before.out).to.equal(0);
    // An open watch with the derived token must end too, not only new requests.
    const watch = spawn('/usr/bin/kubectl', [
      '--kubeconfig',
      file,
      '--context',
      'east',
      'get',
      'namespaces',
      '--watch',
      '--request-timeout=0',
    ]);
    let watched = '';
    watch.stdout.on('data', (c: Buffer) => {
      watched += c.toString('utf8');
    });
    try {
      await waitFor('the watch to list the namespaces', () =>
        watched.includes('default') ? true : undefined,
      );
      const revoked = await p.graphql(
        p.adminToken,
        `mutation { revokeApiKey(keyId: "${key.keyId}") }`,
      );
      expect(revoked.data?.revokeApiKey).to.equal(true);
      await waitFor('the open watch to be closed', () =>
        watch.exitCode !== null || watch.signalCode !== null ? true : undefined,
      );
    } finally {
      watch.kill();
    }
    const after = await waitFor('kubectl to be refused', async () => {
      const r = await kubectl(file, ['--context', 'east', 'get', 'namespaces']);
      return r.code === 0 ? undefined : r;
    });
    expect(after.out).to.match(/Unauthorized|must be logged in/i);
    const token = parse(res.body).users[0].user.token as string;
    const keyId = token.split('_')[1];
    expect((await kubeconfigTokens()).map((k) => k.keyId)).not.to.include(keyId);
  });

  it('gives a kubeconfig token no longer life than the API key it was made with', async () => {
    const expiresAt = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const key = await createKey(p.adminToken, { expiresAt });
    const res = await download(key.token, '?clusters=west');
    expect(res.status, res.body).to.equal(200);
    const derived = (await kubeconfigTokens()).find((k) => k.parentKeyId === key.keyId);
    expect(derived, 'the derived token names its parent').not.to.equal(undefined);
    expect(Date.parse(derived?.expiresAt ?? '')).to.be.at.most(Date.parse(expiresAt));
    const file = await p.file('bounded.kubeconfig', res.body);
    const whoami = await kubectl(file, ['auth', 'whoami']);
    expect(whoami.code, whoami.out).to.equal(0);
  });

  it('refuses a cluster-scoped key that asks for a kubeconfig or touches its owner’s keys', async () => {
    const scoped = await createKey(p.adminToken, { clusterId: 'east' });
    const other = await createKey(p.adminToken, { description: 'other' });

    const kubeconfig = await download(scoped.token);
    expect(kubeconfig.status).to.equal(403);
    expect(JSON.parse(kubeconfig.body).error.reason).to.equal('scoped_key');
    const narrow = await download(scoped.token, '?clusters=east');
    expect(narrow.status).to.equal(403);

    const attempts = [
      '{ apiKeys { keyId } }',
      `mutation { revokeApiKey(keyId: "${other.keyId}") }`,
      'mutation { createApiKey(input: {}) { token } }',
      'mutation { createApiKey(input: { clusterId: "east" }) { token } }',
      'mutation { kubeconfig }',
    ];
    for (const query of attempts) {
      const res = await p.graphql(scoped.token, query);
      expect(res.errors?.[0]?.extensions, query).to.include({
        code: 'FORBIDDEN',
        reason: 'scoped_key',
      });
    }
    // The other key still works: nothing was revoked.
    const me = await p.graphql(other.token, '{ me { username } }');
    expect(me.data?.me?.username).to.equal('admin');
    // The scoped key still does its one job: its own cluster through the proxy.
    const proxied = await p.get('/k8s/clusters/east/api/v1/namespaces', {
      authorization: `Bearer ${scoped.token}`,
    });
    expect(proxied.status).to.equal(200);
  });

  it('leaves one kubeconfig token after ten downloads of the same clusters', async () => {
    const login = await p.login('admin', 'test-bootstrap-password');
    const session = JSON.parse(login.body).token as string;
    const files: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await download(session, '?clusters=east,west');
      expect(res.status, res.body).to.equal(200);
      files.push(await p.file(`download-${i}.kubeconfig`, res.body));
    }
    const tokens = (await kubeconfigTokens()).filter(
      (k) => k.parentKeyId === null && k.description === 'kubeconfig for east, west',
    );
    expect(tokens).to.have.length(1);
    const newest = await kubectl(files[9]!, ['--context', 'west', 'auth', 'whoami']);
    expect(newest.code, newest.out).to.equal(0);
    const replaced = await kubectl(files[0]!, ['--context', 'west', 'auth', 'whoami']);
    expect(replaced.code).not.to.equal(0);
  });
});
