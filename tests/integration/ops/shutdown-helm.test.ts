import { once } from 'node:events';
import { mkdir, readdir, readFile, readlink } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { startChartRepoServer } from '../../../scripts/chart-repo-server.js';
import { helmBinary } from '../../../scripts/helm-binary.js';
import { indexRepository, makeSampleChart } from '../../../scripts/sample-charts.js';
import { HelmRunner } from '../../../src/apps/helm/helm-runner.js';
import { helmCli } from '../../support/helm.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { opsFixture, startClusters, startReplica } from './support/served-paddock.js';

/** True while a process with this id runs (a zombie, killed and not yet reaped, does not). */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (stat === '') return false;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
}

/** The ids of the running children of `parent` whose program is `binary`, from /proc. */
async function helmChildren(binary: string, parent = process.pid): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== parent || !(await alive(Number(entry)))) continue;
    if ((await readlink(`/proc/${entry}/exe`).catch(() => '')) === binary) pids.push(Number(entry));
  }
  return pids;
}

describe('Helm processes when Paddock stops', function () {
  this.timeout(60_000);

  it('are ended by stopAll even while the cluster never answers, and killAll ends them at once', async () => {
    // An API server that accepts connections and never answers: Helm waits on it indefinitely.
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const dir = await makeTempDir('helm-stop');
    const binary = await helmBinary();
    const runner = new HelmRunner({
      binary: () => ({ ok: true, path: binary, version: 'v3' }),
      proxy: { baseUrl: `http://127.0.0.1:${port}` },
      workDir: dir.path,
    });
    try {
      for (const stop of ['stopAll', 'killAll'] as const) {
        const running = runner.run({
          args: ['list', '--all-namespaces'],
          clusterId: 'one',
          token: 'a-token',
          timeoutMs: 120_000,
        });
        const [pid] = await waitFor('helm waiting on the silent API server', async () => {
          const pids = await helmChildren(binary);
          return pids.length === 1 && held.length > 0 ? pids : undefined;
        });
        const t0 = Date.now();
        if (stop === 'stopAll') await runner.stopAll(2_000);
        else runner.killAll();
        const result = await running;
        expect(result.code, `${stop}: ${result.stderr}`).to.not.equal(0);
        expect(Date.now() - t0, `${stop}: ms until helm ended`).to.be.below(5_000);
        expect(await alive(pid ?? 0), `${stop}: helm still running`).to.equal(false);
        expect(await helmChildren(binary)).to.deep.equal([]);
        for (const s of held.splice(0)) s.destroy();
      }
    } finally {
      runner.killAll();
      for (const s of held) s.destroy();
      silent.close();
      await dir.remove();
    }
  });

  it('leave no Helm run behind when paddock serve stops during an install, and it still exits within the grace period plus a second', async () => {
    const fx = await opsFixture('shutdown-helm');
    try {
      const { sim, importEnv } = await startClusters(fx, ['one']);
      const helm = await helmCli();
      fx.track(() => helm.remove());
      const charts = join(fx.dir, 'charts');
      await mkdir(charts, { recursive: true });
      await makeSampleChart(helm.binary, charts, { name: 'hello', version: '1.0.0' });
      await indexRepository(helm.binary, charts);
      const ca = await createTestCa(fx.dir, 'charts');
      const cert = await ca.issueServerCert('charts', { ips: ['127.0.0.1'] });
      const repo = await startChartRepoServer({
        dir: charts,
        certPem: cert.certPem,
        keyPem: await readFile(cert.keyPath, 'utf8'),
        prefix: '/charts',
      });
      fx.track(() => repo.close());
      const replica = await startReplica({
        name: 'a',
        dir: fx.dir,
        env: {
          ...importEnv,
          PADDOCK_HELM_BINARY: helm.binary,
          PADDOCK_SHUTDOWN_GRACE_SECONDS: '3',
          PADDOCK_SHUTDOWN_DRAIN_SECONDS: '0',
        },
      });
      fx.track(() => replica.process.stop());
      const token = await replica.login();
      const added = await replica.graphql(
        token,
        'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
        { i: { name: 'library', scope: 'GLOBAL', url: repo.url, caPem: ca.caPem } },
      );
      const catalogId = (added.data?.addCatalog as { id: string } | undefined)?.id;
      expect(catalogId, JSON.stringify(added)).to.be.a('string');
      await waitFor('cluster one answering', async () => {
        const r = await replica.graphql(token, '{ clusters { items { health { state } } } }');
        const items = (r.data?.clusters as { items: { health: { state: string } }[] })?.items;
        return items?.[0]?.health.state === 'ACTIVE' ? true : undefined;
      });

      // Every call to the cluster now takes 3 s: Helm's install is still running at SIGTERM.
      await sim.cluster('one').setFaults({ latency: 3_000 });
      const started = await replica.graphql(
        token,
        'mutation($i: InstallAppInput!) { installApp(input: $i) { id state } }',
        {
          i: {
            clusterId: 'one',
            namespace: 'default',
            catalogId,
            chart: 'hello',
            version: '1.0.0',
            name: 'slow',
          },
        },
      );
      expect(started.errors, JSON.stringify(started.errors)).to.equal(undefined);
      const child = replica.process.child;
      const [helmPid] = await waitFor(
        'a Helm process of paddock serve',
        async () => {
          const pids = await helmChildren(helm.binary, child.pid ?? -1);
          return pids.length > 0 ? pids : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 50 },
      );

      const exited = once(child, 'exit');
      const t0 = Date.now();
      child.kill('SIGTERM');
      await exited;
      const took = Date.now() - t0;
      expect(took, `ms from SIGTERM to exit\n${replica.process.output()}`).to.be.at.most(4_000);
      expect(await alive(helmPid ?? 0), 'Helm still running after paddock exited').to.equal(false);
    } finally {
      await fx.stop();
    }
  });
});
