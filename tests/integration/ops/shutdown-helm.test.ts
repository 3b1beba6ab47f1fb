import { createServer, type Socket } from 'node:net';
import { expect } from 'chai';
import { helmBinary } from '../../../scripts/helm-binary.js';
import { HelmRunner } from '../../../src/apps/helm/helm-runner.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

/** True while a process with this id exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The ids of this process's children running `binary`, from /proc. */
async function helmChildren(binary: string): Promise<number[]> {
  const { readdir, readFile, readlink } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid) continue;
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
        expect(alive(pid ?? 0), `${stop}: helm still running`).to.equal(false);
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
});
