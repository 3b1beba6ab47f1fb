/**
 * Paddock's own work on a cluster behind NAT, with the whole of `paddock serve` composed and
 * the cluster reached only through its agent (ADR 0017): health with the agent and capacity in
 * GraphQL, the RBAC push-down of a project member, the alerting controller firing on a Warning
 * event and a NotReady node it watched through the tunnel, an app installed by Paddock's Helm
 * run as the caller against Paddock's own proxy, and the log collector pushed down and removed,
 * all with no connection into the cluster but the agent's.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type ChartRepoServer, startChartRepoServer } from '../../../scripts/chart-repo-server.js';
import { indexRepository, makeSampleChart } from '../../../scripts/sample-charts.js';
import { waitFor } from '../../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import {
  type AppUser,
  EDGE,
  hostServerTls,
  type PaddockAppWithAgent,
  startPaddockAppWithAgent,
} from './support/paddock-app-with-agent.js';

const run = promisify(execFile);

describe('paddock serve on a cluster behind NAT, through its agent', function () {
  this.timeout(240_000);
  let p: PaddockAppWithAgent;
  let hook: WebhookReceiver;
  let notifierId: string;
  let member: AppUser;
  let projectId: string;
  const payloads = () =>
    hook.requests.map(
      (r) =>
        JSON.parse(r.body) as {
          status: string;
          alerts: { labels: Record<string, string> }[];
        },
    );

  before(async () => {
    p = await startPaddockAppWithAgent();
    const tls = await hostServerTls(p.dir, 'hook');
    hook = await startWebhookReceiver({ certPem: tls.certPem, keyPem: tls.keyPem });
    const created = await p.ok(
      p.admin,
      `mutation($c: ID!, $i: NotifierInputType!) { createNotifier(clusterId: $c, input: $i) { id } }`,
      {
        c: EDGE,
        i: {
          name: 'edge hook',
          kind: 'WEBHOOK',
          settings: { caPem: tls.caPem },
          secrets: { url: hook.url },
        },
      },
    );
    notifierId = created.createNotifier.id;
  });

  let stopped = false;
  after(async () => {
    await hook?.stop();
    if (!stopped) await p?.stop();
  });

  it('shows the agent and the capacity of the cluster in GraphQL', async () => {
    const data = await waitFor('capacity read through the tunnel', async () => {
      const d = await p.ok(
        p.admin,
        `{ cluster(id: "${EDGE}") { transport health { state nodeCount agent { connected sessions lastSeenAt version } }
           capacity { allocatable { pods } } } }`,
      );
      return d.cluster.capacity === null ? undefined : d;
    });
    expect(data.cluster.transport).to.equal('AGENT');
    expect(data.cluster.health.state).to.equal('ACTIVE');
    expect(data.cluster.health.nodeCount).to.be.greaterThan(0);
    expect(data.cluster.health.agent).to.deep.include({
      connected: true,
      sessions: 1,
      version: '0.1.0',
    });
    expect(Date.parse(data.cluster.health.agent.lastSeenAt)).to.be.greaterThan(0);
    expect(data.cluster.capacity.allocatable.pods).to.be.greaterThan(0);
  });

  it('pushes a project member down into the cluster and lists its pods as that member', async () => {
    member = await p.addUser('mira');
    const created = await p.ok(
      p.admin,
      'mutation($c: ID!) { createProject(clusterId: $c, input: { name: "Edge Apps" }) { projectId } }',
      { c: EDGE },
    );
    projectId = created.createProject.projectId;
    await p.ok(
      p.admin,
      'mutation($c: ID!, $p: ID) { createNamespace(clusterId: $c, name: "edge-apps", projectId: $p) { name } }',
      { c: EDGE, p: projectId },
    );
    await p.ok(
      p.admin,
      'mutation($c: ID!, $p: ID!, $u: ID!) { addProjectMember(clusterId: $c, projectId: $p, principalId: $u, roleTemplateId: "project-member") { id } }',
      { c: EDGE, p: projectId, u: `local://${member.userId}` },
    );
    await waitFor(
      'the member bound in edge-apps',
      async () => {
        const r = await p.nat.simKubectl(EDGE, [
          'get',
          'rolebindings',
          '-n',
          'edge-apps',
          '-o',
          'yaml',
        ]);
        return r.stdout.includes(member.userId) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // A GraphQL read as the member: impersonated, through the tunnel, and decided downstream.
    const pods = await p.ok(
      member,
      `{ pods(first: 10, filter: { clusterIds: ["${EDGE}"], namespaces: ["edge-apps"] }) { items { name } clusterErrors { clusterId code } } }`,
    );
    expect(pods.pods.clusterErrors).to.deep.equal([]);
  });

  it('fires alerts on a Warning event and a NotReady node the controller watched through the tunnel', async () => {
    const rule = (name: string, condition: Record<string, unknown>) =>
      p.ok(
        p.admin,
        `mutation($c: ID!, $i: AlertRuleInputType!) { createAlertRule(clusterId: $c, input: $i) { id } }`,
        {
          c: EDGE,
          i: {
            name,
            severity: 'WARNING',
            condition,
            forSeconds: 0,
            groupWaitSeconds: 0,
            groupIntervalSeconds: 1,
            repeatIntervalSeconds: 3600,
            notifierIds: [notifierId],
          },
        },
      );
    await rule('disk trouble', { kind: 'WARNING_EVENT', reason: 'FreeDiskSpaceFailed' });
    await rule('node down', { kind: 'NODE_CONDITION', nodeCondition: 'NOT_READY' });
    await waitFor('the alerting controller running', () =>
      p.app.controllers.status().some((c) => c.name === 'alerting' && c.running) ? true : undefined,
    );

    const warning = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'disk-pressure-edge', namespace: 'default' },
      involvedObject: { kind: 'Node', name: 'edge-worker-1' },
      reason: 'FreeDiskSpaceFailed',
      message: 'disk almost full',
      type: 'Warning',
    };
    const made = await p.nat.simKubectl(EDGE, ['create', '-f', '-'], JSON.stringify(warning));
    expect(made.code, made.stderr).to.equal(0);
    await waitFor('the Warning event notification', () =>
      payloads().some(
        (b) => b.status === 'firing' && b.alerts.some((a) => a.labels.alertname === 'disk trouble'),
      )
        ? true
        : undefined,
    );

    await p.nat.call({
      op: 'nodeFault',
      cluster: EDGE,
      node: 'edge-worker-1',
      fault: { ready: false },
    });
    const fired = await waitFor('the NotReady notification', () =>
      payloads().find(
        (b) => b.status === 'firing' && b.alerts.some((a) => a.labels.alertname === 'node down'),
      ),
    );
    expect(fired.alerts[0]?.labels).to.include({ cluster: EDGE, node: 'edge-worker-1' });
    await p.nat.call({
      op: 'nodeFault',
      cluster: EDGE,
      node: 'edge-worker-1',
      fault: { ready: true },
    });
    await waitFor('the resolved notification', () =>
      payloads().some(
        (b) => b.status === 'resolved' && b.alerts.some((a) => a.labels.alertname === 'node down'),
      )
        ? true
        : undefined,
    );
  });

  it("installs an app as a project member with Paddock's Helm run through its own proxy and the tunnel", async () => {
    const charts = join(p.dir, 'charts');
    await mkdir(charts, { recursive: true });
    await makeSampleChart(p.helm, charts, { name: 'hello', version: '1.0.0' });
    await indexRepository(p.helm, charts);
    const tls = await hostServerTls(p.dir, 'charts');
    let repo: ChartRepoServer | undefined;
    try {
      repo = await startChartRepoServer({
        dir: charts,
        certPem: tls.certPem,
        keyPem: tls.keyPem,
        prefix: '/charts',
      });
      const added = await p.ok(
        p.admin,
        'mutation($i: AddCatalogInput!) { addCatalog(input: $i) { id } }',
        { i: { name: 'edge-library', scope: 'GLOBAL', url: repo.url, caPem: tls.caPem } },
      );
      const started = await p.ok(
        member,
        'mutation($i: InstallAppInput!) { installApp(input: $i) { id state } }',
        {
          i: {
            clusterId: EDGE,
            namespace: 'edge-apps',
            catalogId: added.addCatalog.id,
            chart: 'hello',
            name: 'edge-hello',
            version: '1.0.0',
          },
        },
      );
      const done = await waitFor(
        'the install to end',
        async () => {
          const d = await p.ok(
            member,
            'query($id: ID!) { appOperation(id: $id) { state error } }',
            {
              id: started.installApp.id,
            },
          );
          return d.appOperation.state === 'RUNNING' ? undefined : d.appOperation;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      expect(done.state, done.error ?? '').to.equal('SUCCEEDED');
    } finally {
      await repo?.close();
    }
    // Helm's writes reached the cluster as the member, through the proxy and the agent.
    const release = await p.nat.simKubectl(EDGE, [
      'get',
      'secrets',
      '-n',
      'edge-apps',
      '-l',
      'owner=helm,name=edge-hello',
      '-o',
      'name',
    ]);
    expect(release.stdout.trim()).to.match(/^secret\/sh\.helm\.release\.v1\.edge-hello\.v1$/);
    const audited = p.logs
      .map((l) => (l.obj as { audit?: { kind?: string; userId: string; path: string } }).audit)
      .filter((a) => a?.kind === 'k8s-proxy' && a.path.includes('/namespaces/edge-apps/'));
    expect(audited.length).to.be.greaterThan(0);
    expect(new Set(audited.map((a) => a?.userId))).to.deep.equal(new Set([member.userId]));
  });

  it("deploys and removes the log collector in the cluster's paddock-system, beside the agent", async () => {
    const daemonSets = async () =>
      (
        await p.nat.simKubectl(EDGE, ['get', 'daemonsets', '-n', 'paddock-system', '-o', 'name'])
      ).stdout.trim();
    const created = await p.ok(
      p.admin,
      'mutation($c: ID!, $i: LoggingTargetInputType!) { createLoggingTarget(clusterId: $c, input: $i) { id } }',
      {
        c: EDGE,
        i: {
          name: 'edge syslog',
          kind: 'SYSLOG',
          settings: { host: '127.0.0.1', port: 514, mode: 'tcp' },
        },
      },
    );
    await waitFor(
      'the collector DaemonSet in edge',
      async () => ((await daemonSets()) === 'daemonset.apps/paddock-logging' ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const status = await waitFor('the push status', async () => {
      const s = (await p.ok(p.admin, `{ loggingStatus(clusterId: "${EDGE}") { deployed errors } }`))
        .loggingStatus;
      return s?.deployed ? s : undefined;
    });
    expect(status.errors).to.deep.equal([]);
    await p.ok(p.admin, 'mutation($id: ID!) { deleteLoggingTarget(id: $id) }', {
      id: created.createLoggingTarget.id,
    });
    await waitFor(
      'the collector to go',
      async () => ((await daemonSets()) === '' ? true : undefined),
      {
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    // The agent's own objects are untouched, and it is still the way in.
    const agentSecret = await p.nat.secretValue(EDGE, 'paddock-agent', 'token');
    expect(agentSecret).to.be.a('string');
    expect((await p.app.clusters.get(EDGE))?.health.agent?.connected).to.equal(true);
  });

  it('has opened no connection into the cluster: every one is an agent tunnel to Paddock', async () => {
    const port = new URL(p.url).port;
    const { stdout } = await run('ss', ['-Htn', 'state', 'established']);
    const withCluster = stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols.some((c) => c.startsWith(`${p.nat.sandbox.namespaceAddress}:`)));
    expect(withCluster.length).to.be.greaterThan(0);
    for (const cols of withCluster) {
      expect(cols.join(' ')).to.contain(`${p.nat.sandbox.hostAddress}:${port}`);
    }
  });

  it('removes its network namespace and the host end of its link when it stops', async () => {
    const { name } = p.nat.sandbox;
    stopped = true;
    await p.stop();
    const namespaces = await run('ip', ['netns', 'list']);
    expect(namespaces.stdout).not.to.contain(name);
    const links = await run('ip', ['-o', 'link', 'show']);
    expect(links.stdout).not.to.contain(`pdkh${name.slice(-6)}`);
  });
});
