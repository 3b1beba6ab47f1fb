import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { freePort } from '../../support/free-port.js';
import { fetchText } from '../../support/http-client.js';
import { repoRoot } from '../../support/repo-root.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { waitFor } from '../../support/wait-for.js';

describe('npm run demo', () => {
  it('serves clusters imported through the manifest and one through its agent, prints its alert webhook, writes demo.json and stops on SIGTERM', async () => {
    const dir = await makeTempDir('demo');
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        join(repoRoot(), 'dist/scripts/demo.js'),
        '--clusters',
        '2',
        '--state-dir',
        dir.path,
        '--alert-for-seconds',
        '1',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          PADDOCK_PORT: String(port),
          PADDOCK_BIND: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const demo = await waitFor(
        `demo.json (output: ${output})`,
        async () => JSON.parse(await readFile(join(dir.path, 'demo.json'), 'utf8')),
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      expect(demo.paddockUrl).to.equal(`https://127.0.0.1:${port}`);
      expect(
        demo.clusters.map((c: { id: string; transport: string }) => [c.id, c.transport]),
      ).to.deep.equal([
        ['demo-1', 'direct'],
        ['demo-2', 'direct'],
        ['demo-agent', 'agent'],
      ]);
      expect(demo.admin.username).to.equal('admin');
      const whoami = await new Promise<string>((resolve, reject) =>
        execFile(
          '/usr/bin/kubectl',
          [
            '--kubeconfig',
            demo.kubeconfig,
            '--context',
            'demo-2',
            'auth',
            'whoami',
            '-o',
            'jsonpath={.status.userInfo.username}',
          ],
          { timeout: 30_000 },
          (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout)),
        ),
      );
      expect(whoami).to.match(/^u-/);
      // The admin global role inherits cluster-owner, pushed down as a ClusterRoleBinding.
      const pods = await waitFor(
        'admin to list pods through Paddock',
        () =>
          new Promise<string | undefined>((resolve) =>
            execFile(
              '/usr/bin/kubectl',
              [
                '--kubeconfig',
                demo.kubeconfig,
                '--context',
                'demo-1',
                'get',
                'pods',
                '-A',
                '-o',
                'name',
              ],
              { timeout: 30_000 },
              (err, stdout) => resolve(err ? undefined : stdout),
            ),
          ),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(pods).to.match(/^pod\//m);
      // The agent cluster too, through the tunnel of the agent the demo started.
      const agentPods = await waitFor(
        'admin to list pods of the agent cluster through Paddock',
        () =>
          new Promise<string | undefined>((resolve) =>
            execFile(
              '/usr/bin/kubectl',
              ['--kubeconfig', demo.kubeconfig, '--context', 'demo-agent', 'get', 'pods', '-A'],
              { timeout: 30_000 },
              (err, stdout) => resolve(err ? undefined : stdout),
            ),
          ),
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      expect(agentPods).to.contain('paddock-agent');
      // GraphQL reads as the caller go through the tunnel too, and health shows the agent.
      const answer = await fetchText(`${demo.paddockUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${demo.admin.token}`,
        },
        ca: await readFile(demo.caFile, 'utf8'),
        body: JSON.stringify({
          query: `{ cluster(id: "demo-agent") { transport health { state agent { connected sessions } } }
            pods(first: 100, filter: { clusterIds: ["demo-agent"], namespaces: ["paddock-system"] }) {
              items { clusterId name } clusterErrors { clusterId code } } }`,
        }),
      });
      const data = JSON.parse(answer.body).data;
      expect(data.cluster).to.deep.equal({
        transport: 'AGENT',
        health: { state: 'ACTIVE', agent: { connected: true, sessions: 1 } },
      });
      expect(data.pods.clusterErrors).to.deep.equal([]);
      expect(data.pods.items.map((p: { name: string }) => p.name).join()).to.contain(
        'paddock-agent',
      );
      // The demo's alert rule sends to its webhook receiver, which the demo prints.
      expect(output).to.include(`webhook ${demo.alerting.receiverUrl}`);
      const fault = await fetch(
        `${demo.kubesimAdminUrl}/clusters/demo-1/nodes/${demo.alerting.node}/fault`,
        { method: 'PUT', body: JSON.stringify({ ready: false }) },
      );
      expect(fault.status).to.equal(200);
      await waitFor(
        'the demo to print the notification',
        () =>
          output.includes(`webhook received: [FIRING] node ${demo.alerting.node} is NotReady`)
            ? true
            : undefined,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await dir.remove();
    }
  });
});
