/**
 * Each notifier kind against a real receiver where one can run here (SMTP: aiosmtpd in plain,
 * STARTTLS and TLS modes with AUTH; an HTTPS webhook receiver; a real Prometheus Alertmanager)
 * and against nock with the documented request format otherwise (Slack, PagerDuty, Teams,
 * DingTalk, WeCom). Deliveries retry what may pass later and never leak a secret.
 */
import { expect } from 'chai';
import nock from 'nock';
import { setOutboundPolicy } from '../../../src/alerting/index.js';
import { deliver } from '../../../src/alerting/notifiers/deliver.js';
import { createDingtalkSender, dingtalkSign } from '../../../src/alerting/notifiers/dingtalk.js';
import type {
  GroupNotification,
  SenderTarget,
} from '../../../src/alerting/notifiers/notification.js';
import { senderFor } from '../../../src/alerting/notifiers/notifier-kinds.js';
import { ALLOW_ALL_OUTBOUND } from '../../../src/domain/outbound-http.js';
import { PaddockError } from '../../../src/errors/index.js';
import { type AlertmanagerProcess, startAlertmanager } from '../../support/alertmanager-process.js';
import { startSmtpServer } from '../../support/smtp-server.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { createTestCa, type TestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const notification = (over: Partial<GroupNotification> = {}): GroupNotification => ({
  groupKey: 'ar-1/one',
  status: 'firing',
  receiver: 'ops',
  ruleName: 'node down',
  clusterId: 'one',
  severity: 'critical',
  groupLabels: { alertname: 'node down', cluster: 'one' },
  commonLabels: { alertname: 'node down', cluster: 'one', severity: 'critical' },
  commonAnnotations: {},
  alerts: [
    {
      status: 'firing',
      fingerprint: 'aaaaaaaaaaaaaaaa',
      labels: { alertname: 'node down', cluster: 'one', severity: 'critical', node: 'w1' },
      annotations: { summary: 'node w1 is NotReady' },
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '0001-01-01T00:00:00Z',
    },
  ],
  externalUrl: 'https://paddock.example',
  test: false,
  ...over,
});
const noSleep = { sleep: async () => undefined };
const send = (kind: Parameters<typeof senderFor>[0], target: SenderTarget, n = notification()) =>
  deliver(senderFor(kind), n, target, noSleep);

describe('notifiers', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let ca: TestCa;
  let cert: { certPath: string; keyPath: string; certPem: string; keyPem: string };

  before(async () => {
    dir = await makeTempDir('notifiers');
    ca = await createTestCa(dir.path, 'notify');
    const issued = await ca.issueServerCert('localhost', {
      dns: ['localhost'],
      ips: ['127.0.0.1'],
    });
    const { readFile } = await import('node:fs/promises');
    cert = { ...issued, keyPem: await readFile(issued.keyPath, 'utf8') };
  });
  after(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await dir?.remove();
  });

  describe('email over SMTP (aiosmtpd)', () => {
    it('sends one message per group to a plain relay', async () => {
      const smtp = await startSmtpServer();
      try {
        const d = await send('email', {
          settings: {
            host: '127.0.0.1',
            port: smtp.port,
            tls: 'none',
            from: 'paddock@example.org',
            to: ['ops@example.org'],
          },
          secrets: {},
        });
        expect(d.ok, d.message).to.equal(true);
        await waitFor('the mail', () => (smtp.messages.length > 0 ? true : undefined));
        expect(smtp.messages).to.have.length(1);
        expect(smtp.messages[0]!.to).to.deep.equal(['ops@example.org']);
        expect(smtp.messages[0]!.data).to.match(
          /Subject: \[FIRING:1\] node down \(one, critical\)/,
        );
        expect(smtp.messages[0]!.data).to.include('node w1 is NotReady');
      } finally {
        await smtp.stop();
      }
    });

    it('upgrades with STARTTLS, authenticates, and trusts the given CA', async () => {
      const smtp = await startSmtpServer({
        mode: 'starttls',
        certPath: cert.certPath,
        keyPath: cert.keyPath,
        user: 'paddock',
        password: 'smtp-secret',
      });
      try {
        const settings = {
          host: 'localhost',
          port: smtp.port,
          tls: 'starttls',
          username: 'paddock',
          from: 'paddock@example.org',
          to: ['ops@example.org'],
          caPem: ca.caPem,
        };
        const ok = await send('email', { settings, secrets: { password: 'smtp-secret' } });
        expect(ok.ok, ok.message).to.equal(true);
        await waitFor('the mail', () => (smtp.messages.length > 0 ? true : undefined));
        expect(smtp.messages[0]).to.include({ auth: 'paddock', tls: true });
        const refused = await send('email', { settings, secrets: { password: 'wrong-password' } });
        expect(refused.ok).to.equal(false);
        expect(refused.attempts, 'a refused login is not retried').to.equal(1);
        expect(refused.message).to.not.include('wrong-password');
      } finally {
        await smtp.stop();
      }
    });

    it('speaks implicit TLS and refuses a server certificate it cannot verify', async () => {
      const smtp = await startSmtpServer({
        mode: 'tls',
        certPath: cert.certPath,
        keyPath: cert.keyPath,
      });
      try {
        const settings = {
          host: 'localhost',
          port: smtp.port,
          tls: 'tls',
          from: 'paddock@example.org',
          to: ['a@example.org', 'b@example.org'],
        };
        const untrusted = await deliver(
          senderFor('email'),
          notification(),
          { settings, secrets: {} },
          { ...noSleep, attempts: 1 },
        );
        expect(untrusted.ok).to.equal(false);
        const ok = await send('email', { settings: { ...settings, caPem: ca.caPem }, secrets: {} });
        expect(ok.ok, ok.message).to.equal(true);
        await waitFor('the mail', () => (smtp.messages.length > 0 ? true : undefined));
        expect(smtp.messages[0]!.to).to.deep.equal(['a@example.org', 'b@example.org']);
      } finally {
        await smtp.stop();
      }
    });
  });

  describe('webhook (HTTPS receiver)', () => {
    let receiver: WebhookReceiver;
    before(async () => {
      receiver = await startWebhookReceiver({ certPem: cert.certPem, keyPem: cert.keyPem });
    });
    after(async () => {
      await receiver.stop();
    });

    it('posts the Alertmanager webhook payload (version 4)', async () => {
      const d = await send('webhook', {
        settings: { caPem: ca.caPem },
        secrets: { url: `${receiver.url}?token=t0ps3cret` },
      });
      expect(d.ok, d.message).to.equal(true);
      const body = JSON.parse(receiver.requests.at(-1)!.body);
      expect(body).to.include({
        version: '4',
        status: 'firing',
        receiver: 'ops',
        groupKey: 'ar-1/one',
      });
      expect(body.alerts[0]).to.include({ status: 'firing', fingerprint: 'aaaaaaaaaaaaaaaa' });
      expect(body.alerts[0].labels.node).to.equal('w1');
      expect(receiver.requests.at(-1)!.url).to.equal('/hook?token=t0ps3cret');
    });

    it('retries a 503 with backoff and records how many attempts it took', async () => {
      const pauses: number[] = [];
      receiver.failNext(503, 503);
      const d = await deliver(
        senderFor('webhook'),
        notification(),
        { settings: { caPem: ca.caPem }, secrets: { url: receiver.url } },
        { backoffMs: 100, sleep: async (ms) => void pauses.push(ms) },
      );
      expect(d).to.include({ ok: true, attempts: 3 });
      expect(pauses).to.deep.equal([100, 200]);
    });

    it('sends nothing to a host the outbound policy refuses, and does not retry it', async () => {
      const before = receiver.requests.length;
      setOutboundPolicy({
        check: async (host) => {
          throw new PaddockError('FORBIDDEN', `outbound to ${host} is denied`, {
            reason: 'outbound_denied',
          });
        },
      });
      try {
        const d = await send('webhook', {
          settings: { caPem: ca.caPem },
          secrets: { url: receiver.url },
        });
        expect(d).to.include({ ok: false, attempts: 1 });
        expect(d.message).to.include('denied');
        const mail = await send('email', {
          settings: {
            host: '127.0.0.1',
            port: 1,
            tls: 'none',
            from: 'p@example.org',
            to: ['o@example.org'],
          },
          secrets: {},
        });
        expect(mail).to.include({ ok: false, attempts: 1 });
        expect(receiver.requests.length).to.equal(before);
      } finally {
        setOutboundPolicy(ALLOW_ALL_OUTBOUND);
      }
    });

    it('does not retry a 400, and the recorded error never shows the secret URL', async () => {
      receiver.failNext(400);
      const d = await send('webhook', {
        settings: { caPem: ca.caPem },
        secrets: { url: `${receiver.url}?token=t0ps3cret` },
      });
      expect(d).to.include({ ok: false, attempts: 1 });
      const unreachable = await send('webhook', {
        settings: {},
        secrets: { url: 'https://127.0.0.1:1/hook?token=t0ps3cret' },
      });
      expect(unreachable.ok).to.equal(false);
      expect(unreachable.attempts).to.equal(4);
      expect(unreachable.message).to.not.include('t0ps3cret');
    });
  });

  describe('Prometheus Alertmanager (real)', () => {
    let am: AlertmanagerProcess;
    before(async () => {
      am = await startAlertmanager(dir.path);
    });
    after(async () => {
      await am?.stop();
    });

    it('receives firing alerts on /api/v2/alerts and sees them resolved', async () => {
      const d = await send('alertmanager', { settings: { url: am.url }, secrets: {} });
      expect(d.ok, d.message).to.equal(true);
      const active = await waitFor('the alert in Alertmanager', async () => {
        const alerts = await am.alerts();
        return alerts.find((a) => a.labels.node === 'w1');
      });
      expect(active.status.state).to.equal('active');
      expect(active.annotations.summary).to.equal('node w1 is NotReady');
      const resolved = notification({
        status: 'resolved',
        alerts: [
          {
            ...notification().alerts[0]!,
            status: 'resolved',
            endsAt: new Date(Date.now() - 1000).toISOString(),
          },
        ],
      });
      expect(
        (await send('alertmanager', { settings: { url: am.url }, secrets: {} }, resolved)).ok,
      ).to.equal(true);
      await waitFor('Alertmanager to drop the resolved alert', async () =>
        (await am.alerts()).some((a) => a.labels.node === 'w1') ? undefined : true,
      );
    });
  });

  describe('chat robots and paging (documented formats, nock)', () => {
    afterEach(() => {
      expect(nock.isDone(), `pending mocks: ${nock.pendingMocks().join(', ')}`).to.equal(true);
      nock.cleanAll();
    });

    it('Slack: posts text and a coloured attachment to the incoming webhook', async () => {
      nock('https://hooks.slack.com')
        .post(
          '/services/T000/B000/XXXX',
          (b) =>
            b.channel === '#ops' && /FIRING:1/.test(b.text) && b.attachments[0].color === '#d63232',
        )
        .reply(200, 'ok');
      const d = await send('slack', {
        settings: { channel: '#ops' },
        secrets: { url: 'https://hooks.slack.com/services/T000/B000/XXXX' },
      });
      expect(d.ok, d.message).to.equal(true);
    });

    it('PagerDuty: one Events v2 trigger per alert, deduplicated by fingerprint, and resolve', async () => {
      nock('https://events.pagerduty.com')
        .post(
          '/v2/enqueue',
          (b) =>
            b.routing_key === 'R0UT1NGKEY0000000000000000000000' &&
            b.event_action === 'trigger' &&
            b.dedup_key === 'aaaaaaaaaaaaaaaa' &&
            b.payload.severity === 'critical' &&
            b.payload.source === 'one' &&
            b.payload.summary === 'node w1 is NotReady',
        )
        .reply(202, {
          status: 'success',
          message: 'Event processed',
          dedup_key: 'aaaaaaaaaaaaaaaa',
        })
        .post(
          '/v2/enqueue',
          (b) =>
            b.event_action === 'resolve' &&
            b.dedup_key === 'aaaaaaaaaaaaaaaa' &&
            b.payload === undefined,
        )
        .reply(202, { status: 'success' });
      const target = { settings: {}, secrets: { routingKey: 'R0UT1NGKEY0000000000000000000000' } };
      expect((await send('pagerduty', target)).ok).to.equal(true);
      const resolved = notification({
        status: 'resolved',
        alerts: [{ ...notification().alerts[0]!, status: 'resolved' }],
      });
      expect((await send('pagerduty', target, resolved)).ok).to.equal(true);
    });

    it('Teams: posts a message with one Adaptive Card', async () => {
      nock('https://example.webhook.office.com')
        .post(
          '/webhookb2/abc',
          (b) =>
            b.type === 'message' &&
            b.attachments[0].contentType === 'application/vnd.microsoft.card.adaptive' &&
            b.attachments[0].content.type === 'AdaptiveCard',
        )
        .reply(200, '1');
      expect(
        (
          await send('teams', {
            settings: {},
            secrets: { url: 'https://example.webhook.office.com/webhookb2/abc' },
          })
        ).ok,
      ).to.equal(true);
    });

    it('DingTalk: signs with HMAC-SHA256 of "timestamp\\nsecret" and reads errcode', async () => {
      const at = 1_700_000_000_000;
      const expected = dingtalkSign('SECdingtalk', at);
      nock('https://oapi.dingtalk.com')
        .post('/robot/send', (b) => b.msgtype === 'markdown' && /FIRING:1/.test(b.markdown.title))
        .query({ access_token: 'dt-token', timestamp: String(at), sign: expected })
        .reply(200, { errcode: 0, errmsg: 'ok' })
        .post('/robot/send')
        .query(true)
        .reply(200, { errcode: 310000, errmsg: 'sign not match' });
      const sender = createDingtalkSender(() => at);
      const target = {
        settings: {},
        secrets: { accessToken: 'dt-token', signSecret: 'SECdingtalk' },
      };
      expect((await deliver(sender, notification(), target, noSleep)).ok).to.equal(true);
      const refused = await deliver(sender, notification(), target, noSleep);
      expect(refused).to.include({ ok: false, attempts: 1 });
      expect(refused.message).to.include('310000');
      // The documented example: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
      const { createHmac } = await import('node:crypto');
      expect(expected).to.equal(
        createHmac('sha256', 'SECdingtalk').update(`${at}\nSECdingtalk`).digest('base64'),
      );
    });

    it('WeCom: posts markdown with the robot key and reads errcode', async () => {
      nock('https://qyapi.weixin.qq.com')
        .post(
          '/cgi-bin/webhook/send',
          (b) => b.msgtype === 'markdown' && b.markdown.content.includes('node w1 is NotReady'),
        )
        .query({ key: 'wecom-key' })
        .reply(200, { errcode: 0, errmsg: 'ok' });
      expect((await send('wecom', { settings: {}, secrets: { key: 'wecom-key' } })).ok).to.equal(
        true,
      );
    });
  });
});
