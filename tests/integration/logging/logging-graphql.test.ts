/**
 * Logging targets through GraphQL on a running Paddock over kubesim: a target brings the
 * collector into the cluster and goes with it, "test target" reaches a real rsyslog, secrets
 * never come back, and only those allowed may manage cluster or project targets.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { type RsyslogProcess, startRsyslog } from '../../support/rsyslog-process.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { type PaddockApp, startPaddockApp } from '../alerting/support/paddock-app.js';

const CREATE = `mutation($c: ID!, $p: ID, $i: LoggingTargetInputType!) {
  createLoggingTarget(clusterId: $c, projectId: $p, input: $i) { id name kind projectId settings secretFields }
}`;

describe('logging targets through GraphQL', function () {
  this.timeout(120_000);
  let p: PaddockApp;
  let rsyslog: RsyslogProcess;
  let member: { token: string; principalId: string };
  let owner: { token: string; principalId: string };
  let projectId: string;
  const codeOf = (r: { errors?: { extensions?: Record<string, unknown> }[] }) =>
    r.errors?.[0]?.extensions?.code;
  const daemonSets = () =>
    p.sim
      .cluster('one')
      .list('daemonsets.apps', 'paddock-system')
      .filter((d) => d.metadata.labels?.['paddock.io/object-set'] === 'logging');

  before(async () => {
    p = await startPaddockApp('logging-graphql');
    const ca = await createTestCa(p.dir, 'syslog');
    const cert = await ca.issueServerCert('syslog', { dns: ['localhost'], ips: ['127.0.0.1'] });
    rsyslog = await startRsyslog(p.dir, {
      caPath: ca.caPath,
      certPath: cert.certPath,
      keyPath: cert.keyPath,
    });
    member = await p.user('member');
    owner = await p.user('owner');
    projectId = (
      await p.must(
        p.adminToken,
        `mutation { createProject(clusterId: "one", input: { name: "Logs" }) { id } }`,
      )
    ).createProject.id;
    await p.must(
      p.adminToken,
      `mutation($p: ID!) { addClusterMember(clusterId: "one", principalId: $p, roleTemplateId: "cluster-member") { id } }`,
      { p: member.principalId },
    );
    await p.must(
      p.adminToken,
      `mutation($proj: ID!, $p: ID!) { addProjectMember(clusterId: "one", projectId: $proj, principalId: $p, roleTemplateId: "project-owner") { id } }`,
      { proj: projectId.split(':')[1], p: owner.principalId },
    );
  });

  after(async () => {
    await p?.stop();
    await rsyslog?.stop();
  });

  it('deploys the collector for a cluster target, tests it against rsyslog, and removes it with the last target', async () => {
    const created = await p.must(p.adminToken, CREATE, {
      c: 'one',
      i: {
        name: 'central syslog',
        kind: 'SYSLOG',
        settings: { host: '127.0.0.1', port: rsyslog.tcpPort, mode: 'tcp' },
      },
    });
    const id = created.createLoggingTarget.id as string;
    await waitFor('the collector DaemonSet', () => (daemonSets().length === 1 ? true : undefined), {
      timeoutMs: 20_000,
    });
    const status = await waitFor('the push status', async () => {
      const s = (
        await p.must(p.adminToken, `{ loggingStatus(clusterId: "one") { deployed errors } }`)
      ).loggingStatus;
      return s?.deployed ? s : undefined;
    });
    expect(status.errors).to.deep.equal([]);
    const tested = await p.must(
      p.adminToken,
      `mutation($id: ID!) { testLoggingTarget(id: $id) { ok message } }`,
      { id },
    );
    expect(tested.testLoggingTarget.ok, tested.testLoggingTarget.message).to.equal(true);
    await waitFor('rsyslog to receive the test record', async () =>
      (await rsyslog.lines()).find((l) =>
        l.includes('Paddock test record for logging target central syslog'),
      ),
    );
    await p.must(p.adminToken, `mutation($id: ID!) { deleteLoggingTarget(id: $id) }`, { id });
    await waitFor('the collector to go', () => (daemonSets().length === 0 ? true : undefined), {
      timeoutMs: 20_000,
    });
  });

  it('reports an unreachable target as a failed test, not an error', async () => {
    const created = await p.must(p.adminToken, CREATE, {
      c: 'one',
      i: { name: 'nowhere', kind: 'FLUENTD', settings: { host: '127.0.0.1', port: 1 } },
    });
    const tested = await p.must(
      p.adminToken,
      `mutation($id: ID!) { testLoggingTarget(id: $id) { ok message } }`,
      {
        id: created.createLoggingTarget.id,
      },
    );
    expect(tested.testLoggingTarget.ok).to.equal(false);
    expect(tested.testLoggingTarget.message).to.match(/ECONNREFUSED/);
    await p.must(p.adminToken, `mutation($id: ID!) { deleteLoggingTarget(id: $id) }`, {
      id: created.createLoggingTarget.id,
    });
  });

  it("lets a project-owner manage its project's targets only, and a cluster-member read without changing", async () => {
    const secret = `Bearer ${randomBytes(12).toString('hex')}`;
    const mine = await p.graphql(owner.token, CREATE, {
      c: 'one',
      p: projectId,
      i: {
        name: 'team logs',
        kind: 'HTTP',
        settings: { url: 'https://logs.example.org/in' },
        secrets: { authorization: secret },
      },
    });
    expect(mine.errors, JSON.stringify(mine.errors)).to.equal(undefined);
    expect(mine.data.createLoggingTarget).to.include({ projectId, kind: 'HTTP' });
    expect(mine.data.createLoggingTarget.secretFields).to.deep.equal(['authorization']);
    const clusterWide = await p.graphql(owner.token, CREATE, {
      c: 'one',
      i: { name: 'all logs', kind: 'HTTP', settings: { url: 'https://evil.example.org/' } },
    });
    expect(codeOf(clusterWide)).to.equal('FORBIDDEN');
    const read = await p.graphql(member.token, `{ loggingTargets(clusterId: "one") { id } }`);
    expect(read.errors).to.equal(undefined);
    const memberCreate = await p.graphql(member.token, CREATE, {
      c: 'one',
      i: { name: 'mine', kind: 'HTTP', settings: { url: 'https://evil.example.org/' } },
    });
    expect(codeOf(memberCreate)).to.equal('FORBIDDEN');
    const memberTest = await p.graphql(
      member.token,
      `mutation($id: ID!) { testLoggingTarget(id: $id) { ok } }`,
      {
        id: mine.data.createLoggingTarget.id,
      },
    );
    expect(codeOf(memberTest)).to.equal('FORBIDDEN');
    const memberDelete = await p.graphql(
      member.token,
      `mutation($id: ID!) { deleteLoggingTarget(id: $id) }`,
      {
        id: mine.data.createLoggingTarget.id,
      },
    );
    expect(codeOf(memberDelete)).to.equal('FORBIDDEN');
    // A project target also brings the collector, routing the project's namespaces.
    const config = await waitFor(
      "the collector configured for the project's logs",
      () => {
        const cm = p.sim
          .cluster('one')
          .get('configmaps', 'paddock-system', 'paddock-logging') as unknown as
          | { data: Record<string, string> }
          | undefined;
        return cm?.data['fluent-bit.conf']?.includes(`project.${projectId.split(':')[1]}.*`)
          ? cm
          : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(daemonSets()).to.have.length(1);
    for (const body of p.bodies) expect(body).to.not.include(secret);
    expect(JSON.stringify(config)).to.not.include(secret);
  });

  it('refuses bad settings by field name', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { name: 'x', kind: 'SYSLOG', settings: { host: 'log', mode: 'carrier-pigeon' } },
        'settings.mode',
      ],
      [
        { name: 'x', kind: 'KAFKA', settings: { brokers: ['no-port'], topic: 'logs' } },
        'settings.brokers',
      ],
      [{ name: 'x', kind: 'SPLUNK', settings: { host: 'splunk' } }, 'secrets.token'],
      [{ name: 'x', kind: 'ELASTICSEARCH', settings: { host: 'es\n[OUTPUT]' } }, 'settings.host'],
    ];
    for (const [i, field] of cases) {
      const r = await p.graphql(p.adminToken, CREATE, { c: 'one', i });
      expect(codeOf(r), field).to.equal('BAD_USER_INPUT');
      expect(
        (r.errors?.[0]?.extensions?.details as { field?: string } | undefined)?.field,
      ).to.equal(field);
    }
  });
});
