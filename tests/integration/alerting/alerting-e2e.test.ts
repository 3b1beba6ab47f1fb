/**
 * Alerting end to end on a running Paddock over kubesim: a node made NotReady fires its rule
 * after `for`, one email (aiosmtpd) and one webhook (HTTPS receiver) arrive, the alert resolves
 * with a resolved message when the node is Ready again; a burst of 20 crash-looping pods goes
 * out as one grouped notification; states show in GraphQL, the subscription and /metrics.
 */
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { fetchText } from '../../support/http-client.js';
import { type SmtpServer, startSmtpServer } from '../../support/smtp-server.js';
import { createTestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { type PaddockApp, startPaddockApp } from './support/paddock-app.js';
import { subscribeHttp } from './support/subscribe-http.js';

const CREATE_NOTIFIER = `mutation($clusterId: ID!, $input: NotifierInputType!) {
  createNotifier(clusterId: $clusterId, input: $input) { id name kind settings secretFields }
}`;
const CREATE_RULE = `mutation($clusterId: ID!, $projectId: ID, $input: AlertRuleInputType!) {
  createAlertRule(clusterId: $clusterId, projectId: $projectId, input: $input) { id name forSeconds }
}`;
const ALERTS = `query($clusterId: ID, $projectId: ID) {
  alerts(clusterId: $clusterId, projectId: $projectId) { fingerprint ruleId state labels summary activeAt firingAt resolvedAt }
}`;

describe('alerting end to end on kubesim', function () {
  this.timeout(120_000);
  let p: PaddockApp;
  let smtp: SmtpServer;
  let hook: WebhookReceiver;
  let emailId: string;
  let webhookId: string;
  const payloads = () => hook.requests.map((r) => JSON.parse(r.body));

  before(async () => {
    p = await startPaddockApp('alerting-e2e');
    const ca = await createTestCa(p.dir, 'hook');
    const cert = await ca.issueServerCert('hook', { dns: ['localhost'], ips: ['127.0.0.1'] });
    hook = await startWebhookReceiver({
      certPem: cert.certPem,
      keyPem: await readFile(cert.keyPath, 'utf8'),
    });
    smtp = await startSmtpServer();
    const email = await p.must(p.adminToken, CREATE_NOTIFIER, {
      clusterId: 'one',
      input: {
        name: 'ops mail',
        kind: 'EMAIL',
        settings: {
          host: '127.0.0.1',
          port: smtp.port,
          tls: 'none',
          from: 'paddock@example.org',
          to: ['ops@example.org'],
        },
      },
    });
    emailId = email.createNotifier.id;
    const webhook = await p.must(p.adminToken, CREATE_NOTIFIER, {
      clusterId: 'one',
      input: {
        name: 'ops hook',
        kind: 'WEBHOOK',
        settings: { caPem: ca.caPem },
        secrets: { url: `${hook.url}?token=hook-s3cret-token` },
      },
    });
    webhookId = webhook.createNotifier.id;
    expect(webhook.createNotifier.secretFields).to.deep.equal(['url']);
  });

  after(async () => {
    await p?.stop();
    await smtp?.stop();
    await hook?.stop();
  });

  it('fires a NotReady node after `for`, sends one email and one webhook, then resolves', async () => {
    const rule = await p.must(p.adminToken, CREATE_RULE, {
      clusterId: 'one',
      input: {
        name: 'node not ready',
        severity: 'CRITICAL',
        condition: { kind: 'NODE_CONDITION', nodeCondition: 'NOT_READY' },
        forSeconds: 2,
        groupWaitSeconds: 0,
        groupIntervalSeconds: 1,
        repeatIntervalSeconds: 3600,
        notifierIds: [emailId, webhookId],
      },
    });
    const ruleId = rule.createAlertRule.id as string;
    const changes = subscribeHttp(
      p.url,
      p.adminToken,
      'subscription { alertChanges(clusterId: "one") { type alert { ruleId state labels } } }',
    );
    try {
      // The informers must have synced before the fault, or `for` would start late.
      await waitFor('the rule to be evaluated', () =>
        p.app.controllers.status().some((c) => c.name === 'alerting' && c.running)
          ? true
          : undefined,
      );
      const downAt = Date.now();
      p.sim.cluster('one').setNodeFault('one-worker-1', { ready: false });
      const pending = await waitFor('a pending alert', async () => {
        const data = await p.must(p.adminToken, ALERTS, { clusterId: 'one' });
        return data.alerts.find(
          (a: { ruleId: string; state: string }) => a.ruleId === ruleId && a.state === 'PENDING',
        );
      });
      expect(pending.labels).to.include({
        node: 'one-worker-1',
        cluster: 'one',
        severity: 'critical',
      });
      const firing = await waitFor('the alert to fire', async () => {
        const data = await p.must(p.adminToken, ALERTS, { clusterId: 'one' });
        return data.alerts.find(
          (a: { ruleId: string; state: string }) => a.ruleId === ruleId && a.state === 'FIRING',
        );
      });
      expect(Date.parse(firing.firingAt) - downAt).to.be.at.least(2_000);
      await waitFor('one webhook', () => (hook.requests.length >= 1 ? true : undefined));
      await waitFor('one email', () => (smtp.messages.length >= 1 ? true : undefined));
      const sent = payloads()[0];
      expect(sent).to.include({ version: '4', status: 'firing', receiver: 'ops hook' });
      expect(sent.alerts).to.have.length(1);
      expect(sent.alerts[0].labels).to.include({
        node: 'one-worker-1',
        alertname: 'node not ready',
      });
      expect(smtp.messages[0]!.data).to.match(/Subject: \[FIRING:1\] node not ready/);
      expect(Date.now() - downAt).to.be.below(2_000 + 5_000);

      // Prometheus metrics show it firing.
      // As the admin: /metrics may need the view-metrics right.
      const metrics = await fetchText(`${p.url}/metrics`, {
        headers: { authorization: `Bearer ${p.adminToken}` },
      });
      expect(metrics.body).to.match(
        new RegExp(
          `paddock_alerts\\{cluster="one",rule="${ruleId}",severity="critical",state="firing"\\} 1`,
        ),
      );

      p.sim.cluster('one').setNodeFault('one-worker-1', { ready: true });
      await waitFor('a resolved webhook', () =>
        payloads().some((b) => b.status === 'resolved') ? true : undefined,
      );
      await waitFor('a resolved email', () =>
        smtp.messages.some((m) => /Subject: \[RESOLVED\] node not ready/.test(m.data))
          ? true
          : undefined,
      );
      const resolved = payloads().find((b) => b.status === 'resolved');
      expect(resolved.alerts[0].status).to.equal('resolved');
      expect(resolved.alerts[0].endsAt).to.not.equal('0001-01-01T00:00:00Z');
      // Exactly one firing and one resolved message each.
      expect(payloads().map((b) => b.status)).to.deep.equal(['firing', 'resolved']);
      expect(smtp.messages).to.have.length(2);
      const states = await waitFor('the subscription to see every state', () => {
        const seen = changes.events
          .filter((e) => e.alertChanges.alert.ruleId === ruleId)
          .map((e) => e.alertChanges.alert.state);
        return seen.includes('RESOLVED') ? seen : undefined;
      });
      expect(states).to.include.members(['PENDING', 'FIRING', 'RESOLVED']);
      const { notifiers } = await p.must(
        p.adminToken,
        `query { notifiers(clusterId: "one") { id lastDelivery { ok attempts message test } } }`,
      );
      expect(notifiers.find((n: { id: string }) => n.id === webhookId).lastDelivery).to.include({
        ok: true,
        test: false,
      });
    } finally {
      await changes.stop();
      await p.must(p.adminToken, `mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: ruleId });
    }
  });

  it('groups a burst of 20 crash-looping pods of a project into one notification', async () => {
    const created = await p.must(
      p.adminToken,
      `mutation { createProject(clusterId: "one", input: { name: "Burst" }) { id } }`,
    );
    const projectId = created.createProject.id as string;
    // As the admin, impersonated: waits for the push-down to bind the admin downstream.
    await waitFor('payments to move into the project', async () => {
      const moved = await p.graphql(
        p.adminToken,
        `mutation($p: ID!) { moveNamespace(clusterId: "one", name: "payments", projectId: $p) { name } }`,
        { p: projectId },
      );
      return moved.errors === undefined ? true : undefined;
    });
    const sim = p.sim.cluster('one');
    sim.create('deployments.apps', {
      metadata: { name: 'burst', namespace: 'payments' },
      spec: {
        replicas: 20,
        selector: { matchLabels: { app: 'burst' } },
        template: {
          metadata: { labels: { app: 'burst' } },
          spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] },
        },
      },
    } as never);
    const pods = await waitFor('20 running burst pods', () => {
      const running = sim
        .list('pods', 'payments')
        .filter(
          (pod) =>
            pod.metadata.labels?.app === 'burst' &&
            (pod.status as { phase?: string } | undefined)?.phase === 'Running',
        );
      return running.length === 20 ? running : undefined;
    });
    const rule = await p.must(p.adminToken, CREATE_RULE, {
      clusterId: 'one',
      projectId,
      input: {
        name: 'crash burst',
        condition: { kind: 'POD_RESTARTS', restarts: 3, windowSeconds: 600 },
        forSeconds: 0,
        groupWaitSeconds: 3,
        groupIntervalSeconds: 600,
        notifierIds: [webhookId],
      },
    });
    const ruleId = rule.createAlertRule.id as string;
    const before = hook.requests.length;
    // The seeded `worker` pod of payments already crash-loops: it joins the same group.
    for (const pod of pods) sim.setCrashLoop('payments', pod.metadata.name ?? '', { restarts: 5 });
    await waitFor(
      'the grouped notification',
      () => (hook.requests.length > before ? true : undefined),
      { timeoutMs: 15_000 },
    );
    const mine = payloads()
      .slice(before)
      .filter((b) => b.commonLabels.rule_id === ruleId);
    expect(mine).to.have.length(1);
    const crashing = mine[0].alerts.filter((a: { labels: { pod: string } }) =>
      a.labels.pod.startsWith('burst-'),
    );
    expect(crashing).to.have.length(20);
    const data = await p.must(p.adminToken, ALERTS, { clusterId: 'one', projectId });
    expect(
      data.alerts.filter(
        (a: { ruleId: string; state: string }) => a.ruleId === ruleId && a.state === 'FIRING',
      ),
    ).to.have.length.of.at.least(20);
  });

  it('fires on a failed Job and a Warning event, read by the manager account from their watches', async () => {
    const created = await p.must(
      p.adminToken,
      `mutation { createProject(clusterId: "one", input: { name: "Batch" }) { id } }`,
    );
    const projectId = created.createProject.id as string;
    await waitFor('shop to move into the project', async () => {
      const moved = await p.graphql(
        p.adminToken,
        `mutation($p: ID!) { moveNamespace(clusterId: "one", name: "shop", projectId: $p) { name } }`,
        { p: projectId },
      );
      return moved.errors === undefined ? true : undefined;
    });
    const job = await p.must(p.adminToken, CREATE_RULE, {
      clusterId: 'one',
      projectId,
      input: { name: 'job failed', condition: { kind: 'JOB_FAILED' }, forSeconds: 0 },
    });
    const event = await p.must(p.adminToken, CREATE_RULE, {
      clusterId: 'one',
      input: {
        name: 'mount failures',
        condition: { kind: 'WARNING_EVENT', reason: 'FailedMount', involvedKind: 'Pod' },
        forSeconds: 0,
      },
    });
    const sim = p.sim.cluster('one');
    sim.create('jobs.batch', {
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: {
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    } as never);
    sim.failJob('shop', 'nightly');
    sim.recordEvent({
      namespace: 'shop',
      reason: 'FailedMount',
      message: 'MountVolume.SetUp failed for volume "data"',
      involvedObject: { kind: 'Pod', name: 'frontend-0' },
    });
    const firing = await waitFor('both alerts to fire', async () => {
      const data = await p.must(
        p.adminToken,
        `{ alerts(clusterId: "one", states: [FIRING]) { ruleId labels summary } }`,
      );
      const mine = data.alerts.filter(
        (a: { ruleId: string }) =>
          a.ruleId === job.createAlertRule.id || a.ruleId === event.createAlertRule.id,
      );
      return mine.length === 2 ? mine : undefined;
    });
    expect(firing.map((a: { summary: string }) => a.summary).sort()).to.deep.equal([
      'Pod shop/frontend-0: FailedMount: MountVolume.SetUp failed for volume "data"',
      'job shop/nightly failed: BackoffLimitExceeded',
    ]);
  });

  it('sends a test notification on demand and records it as the last delivery', async () => {
    const before = hook.requests.length;
    const sent = await p.must(
      p.adminToken,
      `mutation($id: ID!) { sendTestNotification(notifierId: $id) { ok attempts test message } }`,
      { id: webhookId },
    );
    expect(sent.sendTestNotification).to.include({ ok: true, attempts: 1, test: true });
    expect(hook.requests.length).to.equal(before + 1);
    const body = JSON.parse(hook.requests.at(-1)!.body);
    expect(body.alerts[0].labels.alertname).to.equal('PaddockTest');
    const mail = await p.must(
      p.adminToken,
      `mutation($id: ID!) { sendTestNotification(notifierId: $id) { ok } }`,
      { id: emailId },
    );
    expect(mail.sendTestNotification.ok).to.equal(true);
    await waitFor('the test mail', () =>
      smtp.messages.some((m) =>
        /Subject: \[TEST\] \[FIRING:1\] Paddock test notification/.test(m.data),
      )
        ? true
        : undefined,
    );
    const { notifiers } = await p.must(
      p.adminToken,
      `query { notifiers(clusterId: "one") { id lastDelivery { ok test } } }`,
    );
    expect(notifiers.find((n: { id: string }) => n.id === emailId).lastDelivery).to.deep.equal({
      ok: true,
      test: true,
    });
  });
});
