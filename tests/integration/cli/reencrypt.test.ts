import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { type Kubesim, startKubesim } from '../../../kubesim/index.js';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { type PaddockProcess, runPaddock, startPaddock } from '../../support/paddock-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('paddock reencrypt', function () {
  this.timeout(120_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let sim: Kubesim;

  before(async () => {
    dir = await makeTempDir('reencrypt');
    sim = await startKubesim({
      clusters: ['east'],
      adminPort: false,
      stateDir: join(dir.path, 'sim'),
    });
  });

  after(async () => {
    await sim?.stop();
    await dir?.remove();
  });

  async function whoamiThrough(paddock: PaddockProcess): Promise<number> {
    const login = await fetchText(`${paddock.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'test-bootstrap-password' }),
      ca: paddock.caPem,
    });
    expect(login.status, login.body).to.equal(200);
    const { token } = JSON.parse(login.body);
    const res = await fetchText(
      `${paddock.url}/k8s/clusters/east/apis/authentication.k8s.io/v1/selfsubjectreviews`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }),
        ca: paddock.caPem,
      },
    );
    return res.status;
  }

  it('re-seals signing keys and cluster credentials so only the new key is needed afterwards', async () => {
    const [oldKey, newKey] = [
      randomBytes(32).toString('base64'),
      randomBytes(32).toString('base64'),
    ];
    const east = sim.clusters[0]!;
    const kubeconfig = join(dir.path, 'admin.kubeconfig');
    await writeFile(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'east',
        clusters: [
          { name: 'east', cluster: { server: east.url, 'certificate-authority': east.caFile } },
        ],
        users: [{ name: 'admin', user: { token: east.adminToken } }],
        contexts: [{ name: 'east', context: { cluster: 'east', user: 'admin' } }],
      }),
    );
    const dataDir = join(dir.path, 'data');
    const port = await freePort();
    const first = await startPaddock({
      port,
      dataDir,
      env: {
        PADDOCK_ENCRYPTION_KEY: oldKey,
        PADDOCK_IMPORT_KUBECONFIG: 'true',
        KUBECONFIG: kubeconfig,
      },
    });
    expect(await whoamiThrough(first)).to.equal(201);
    await first.stop();

    const run = runPaddock(['reencrypt'], {
      PADDOCK_DATA_DIR: dataDir,
      PADDOCK_ENCRYPTION_KEY: newKey,
      PADDOCK_PREVIOUS_ENCRYPTION_KEYS: oldKey,
    });
    expect(await run.exited, run.output()).to.equal(0);
    expect(run.output()).to.match(/re-encrypted [1-9]\d* identity records and 1 cluster records/);

    const second = await startPaddock({ port, dataDir, env: { PADDOCK_ENCRYPTION_KEY: newKey } });
    try {
      expect(await whoamiThrough(second)).to.equal(201);
    } finally {
      await second.stop();
    }
  });
});
