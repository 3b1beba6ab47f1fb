import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { type PaddockProcess, runPaddock, startPaddock } from '../../support/paddock-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

function kubectl(kubeconfig: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/kubectl',
      ['--kubeconfig', kubeconfig, '--request-timeout=20s', ...args],
      { timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, out: stdout + stderr });
      },
    );
  });
}

describe('GET /v1/kubeconfig with clusters imported from $KUBECONFIG', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let sim: Kubesim;
  let paddock: PaddockProcess;
  let token: string;

  before(async () => {
    dir = await makeTempDir('kubeconfig');
    sim = await startKubesim({
      clusters: ['east', 'west'],
      adminPort: false,
      seed: 'demo',
      stateDir: join(dir.path, 'sim'),
    });
    const source = join(dir.path, 'admin.kubeconfig');
    await writeFile(
      source,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'east',
        clusters: sim.clusters.map((c) => ({
          name: c.name,
          cluster: { server: c.url, 'certificate-authority': c.caFile },
        })),
        users: sim.clusters.map((c) => ({
          name: `admin-${c.name}`,
          user: { token: c.adminToken },
        })),
        contexts: sim.clusters.map((c) => ({
          name: c.name,
          context: { cluster: c.name, user: `admin-${c.name}` },
        })),
      }),
    );
    paddock = await startPaddock({
      port: await freePort(),
      dataDir: join(dir.path, 'data'),
      env: { PADDOCK_IMPORT_KUBECONFIG: 'true', KUBECONFIG: source },
    });
    const login = await fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'test-bootstrap-password' }),
      ca: paddock.caPem,
    });
    token = JSON.parse(login.body).token;
  });

  after(async () => {
    await paddock?.stop();
    await sim?.stop();
    await dir?.remove();
  });

  async function download(query = ''): Promise<{ status: number; body: string }> {
    return fetchText(`${paddock.url}/v1/kubeconfig${query}`, {
      headers: { authorization: `Bearer ${token}` },
      ca: paddock.caPem,
    });
  }

  it('gives one context per cluster, each served through Paddock with its CA', async () => {
    const res = await download();
    expect(res.status, res.body).to.equal(200);
    const config = parse(res.body);
    expect(config.contexts.map((c: { name: string }) => c.name).sort()).to.deep.equal([
      'east',
      'west',
    ]);
    for (const cluster of config.clusters) {
      expect(cluster.cluster.server).to.match(
        /^https:\/\/localhost:\d+\/k8s\/clusters\/(east|west)$/,
      );
      expect(
        Buffer.from(cluster.cluster['certificate-authority-data'], 'base64').toString(),
      ).to.equal(paddock.caPem);
    }
    expect(config.users[0].user.token).to.match(/^pdk_/);
  });

  it('lets real kubectl reach each cluster as the Paddock user, impersonated', async () => {
    const file = join(dir.path, 'paddock.kubeconfig');
    await writeFile(file, (await download()).body);
    for (const context of ['east', 'west']) {
      const whoami = await kubectl(file, ['--context', context, 'auth', 'whoami', '-o', 'json']);
      expect(whoami.code, whoami.out).to.equal(0);
      const review = JSON.parse(whoami.out);
      expect(review.status.userInfo.username).to.match(/^u-/);
      expect(review.status.userInfo.groups).to.include('system:authenticated');
    }
  });

  it('narrows to the clusters asked for and scopes the token to a single one', async () => {
    const res = await download('?clusters=west');
    const config = parse(res.body);
    expect(config.contexts.map((c: { name: string }) => c.name)).to.deep.equal(['west']);
    const file = join(dir.path, 'west.kubeconfig');
    await writeFile(file, res.body);
    // The same token presented for the other cluster is refused by the proxy.
    const other = {
      ...config,
      clusters: [
        {
          ...config.clusters[0],
          cluster: {
            ...config.clusters[0].cluster,
            server: config.clusters[0].cluster.server.replace(/west$/, 'east'),
          },
        },
      ],
    };
    const otherFile = join(dir.path, 'west-token-on-east.kubeconfig');
    await writeFile(otherFile, stringify(other));
    const refused = await kubectl(otherFile, ['get', 'namespaces']);
    expect(refused.code).not.to.equal(0);
    expect(refused.out).to.match(/forbidden/i);
    const allowed = await kubectl(file, ['auth', 'whoami']);
    expect(allowed.code, allowed.out).to.equal(0);
  });

  it('is written by `paddock kubeconfig` after a login, for real kubectl to use', async () => {
    const out = join(dir.path, 'cli.kubeconfig');
    const caFile = join(dir.path, 'paddock-ca.crt');
    await writeFile(caFile, paddock.caPem ?? '');
    const run = runPaddock(
      [
        'kubeconfig',
        '--server',
        paddock.url,
        '--username',
        'admin',
        '--ca-file',
        caFile,
        '--clusters',
        'east',
        '--out',
        out,
      ],
      { PADDOCK_PASSWORD: 'test-bootstrap-password' },
    );
    expect(await run.exited, run.output()).to.equal(0);
    const whoami = await kubectl(out, ['auth', 'whoami', '-o', 'json']);
    expect(whoami.code, whoami.out).to.equal(0);
    const bad = runPaddock(
      ['kubeconfig', '--server', paddock.url, '--username', 'admin', '--ca-file', caFile],
      {
        PADDOCK_PASSWORD: 'wrong-password-123',
      },
    );
    expect(await bad.exited).to.equal(1);
    expect(bad.output()).to.contain('answered 401');
  });

  it('refuses an unknown or malformed cluster id and an anonymous caller', async () => {
    expect((await download('?clusters=nowhere')).status).to.equal(404);
    expect((await download('?clusters=..%2Fx')).status).to.equal(400);
    const anonymous = await fetchText(`${paddock.url}/v1/kubeconfig`, { ca: paddock.caPem });
    expect(anonymous.status).to.equal(401);
  });
});
