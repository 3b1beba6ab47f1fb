// Fault injection (library handle and admin endpoint), the CLI's kubesim.json, and scale.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type ClusterDescription, type Kubesim, startKubesim } from '../../kubesim/index.js';
import { Kubectl } from '../support/kubectl.js';
import { api } from './http-client.js';

async function until<T>(
  fn: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function admin(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, url),
      { method, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => {
          text += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('kubesim faults, CLI and scale', function () {
  this.timeout(120_000);
  let sim: Kubesim;
  let c: ClusterDescription;
  let other: ClusterDescription;

  before(async () => {
    sim = await startKubesim({ clusters: 2 });
    [c, other] = sim.clusters as [ClusterDescription, ClusterDescription];
  });

  after(async () => {
    await sim.stop();
  });

  afterEach(async () => {
    await sim.cluster(c.name).clearFaults();
  });

  it('adds latency to one cluster only', async () => {
    await sim.cluster(c.name).setFaults({ latency: 1000 });
    const t = Date.now();
    const finished: string[] = [];
    await Promise.all([
      api(c, 'GET', '/version', { token: c.adminToken }).then(() => finished.push(c.name)),
      api(other, 'GET', '/version', { token: other.adminToken }).then(() =>
        finished.push(other.name),
      ),
    ]);
    expect(Date.now() - t).to.be.at.least(990);
    // The other cluster is not held up: it answers before the slowed one does.
    expect(finished).to.deep.equal([other.name, c.name]);
  });

  it('fails requests at the configured error rate with a Status body', async () => {
    await sim.cluster(c.name).setFaults({ errorRate: 1, errorCode: 503 });
    const r = await api(c, 'GET', '/api/v1/namespaces', { token: c.adminToken });
    expect(r.status).to.equal(503);
    expect(r.json().reason).to.equal('ServiceUnavailable');
  });

  it('refuses connections while down and serves again on the same port when up', async () => {
    await sim.cluster(c.name).setFaults({ down: true });
    let error: unknown;
    try {
      await api(c, 'GET', '/version', { fresh: true });
    } catch (e) {
      error = e;
    }
    expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('ECONNREFUSED');
    await sim.cluster(c.name).setFaults({ down: false });
    expect((await api(c, 'GET', '/version', { fresh: true })).status).to.equal(200);
  });

  it('hangs requests without answering', async () => {
    await sim.cluster(c.name).setFaults({ hang: true });
    const outcome = await Promise.race([
      api(c, 'GET', '/version', { fresh: true }).then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('hung'), 300)),
    ]);
    expect(outcome).to.equal('hung');
  });

  it('drops open watch streams on demand and through the admin endpoint', async () => {
    const watch = api(c, 'GET', '/api/v1/namespaces?watch=true', { token: c.adminToken });
    await until(
      () => (sim.cluster(c.name).sim.watches.size > 0 ? true : undefined),
      'watch to open',
    );
    expect(sim.cluster(c.name).dropWatches()).to.equal(1);
    const r = await watch;
    expect(r.status).to.equal(200);
    expect(r.text.split('\n').filter(Boolean).length).to.equal(4);
    const url = sim.adminUrl ?? '';
    const set = await admin(url, 'PUT', `/clusters/${c.name}/faults`, {
      errorRate: 1,
      errorCode: 429,
    });
    expect(set.json).to.deep.equal({ errorRate: 1, errorCode: 429 });
    const r2 = await api(c, 'GET', '/version');
    expect(r2.status).to.equal(429);
    expect(r2.headers['retry-after']).to.equal('1');
    await admin(url, 'DELETE', `/clusters/${c.name}/faults`);
    expect((await api(c, 'GET', '/version')).status).to.equal(200);
  });

  it('serves N clusters from the CLI and describes them in kubesim.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-'));
    const cli = fileURLToPath(new URL('../../kubesim/cli.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [cli, '--clusters', '3', '--seed', 'demo', '--state-dir', dir],
      { stdio: 'ignore' },
    );
    try {
      const state = await until(() => {
        const f = join(dir, 'kubesim.json');
        return existsSync(f)
          ? (JSON.parse(readFileSync(f, 'utf8')) as { clusters: ClusterDescription[] })
          : undefined;
      }, 'kubesim.json');
      expect(state.clusters.map((x) => x.name)).to.deep.equal([
        'kubesim-1',
        'kubesim-2',
        'kubesim-3',
      ]);
      const third = state.clusters[2];
      if (!third) throw new Error('no third cluster');
      expect(readFileSync(third.caFile, 'utf8')).to.include('BEGIN CERTIFICATE');
      const kubectl = new Kubectl(third);
      try {
        const r = await kubectl.run(['get', 'nodes', '-o', 'name']);
        expect(r.stdout.trim().split('\n')).to.deep.equal([
          'node/kubesim-3-control-plane',
          'node/kubesim-3-worker-1',
          'node/kubesim-3-worker-2',
        ]);
        const who = await kubectl.as('bob', [
          'auth',
          'whoami',
          '-o',
          'jsonpath={.status.userInfo.groups}',
        ]);
        expect(who.stdout).to.equal('["developers","system:authenticated"]');
      } finally {
        kubectl.cleanup();
      }
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeds scale:<nodes>x<pods> deterministically and keeps 100 clusters x 500 pods under 1 GiB', async () => {
    const start = fileURLToPath(new URL('../../kubesim/index.js', import.meta.url));
    const script = `import { startKubesim } from ${JSON.stringify(start)};
const s = await startKubesim({ clusters: 100, seed: 'scale:10x500', adminPort: false });
const h = s.cluster('kubesim-7');
console.log(JSON.stringify({ rss: process.memoryUsage().rss, pods: h.list('pods').length, nodes: h.list('nodes').length, first: h.list('pods')[0].metadata.name }));
await s.stop();`;
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      child.on('error', reject);
      child.on('close', () => resolve(text));
    });
    const result = JSON.parse(out) as { rss: number; pods: number; nodes: number; first: string };
    expect(result.pods).to.equal(500);
    expect(result.nodes).to.equal(10);
    expect(result.rss).to.be.below(1024 * 1024 * 1024);
    const again = await startKubesim({
      clusters: ['kubesim-7'],
      seed: 'scale:10x500',
      adminPort: false,
    });
    try {
      expect(again.cluster('kubesim-7').list('pods')[0]?.metadata.name).to.equal(result.first);
    } finally {
      await again.stop();
    }
  });
});
