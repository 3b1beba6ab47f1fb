/**
 * "Test target" for each logging target kind: Paddock sends one record itself. Syslog goes to
 * a real rsyslog over UDP, TCP and TLS; the HTTP-based kinds (HTTP, Elasticsearch, Splunk HEC)
 * to a local receiver answering as those services document; Fluentd forward to a local forward
 * server doing the shared-key handshake and ack; Kafka to a broker speaking the Kafka wire protocol (no Kafka server runs here).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import { sendOutbound } from '../../../src/alerting/index.js';
import { ALLOW_ALL_OUTBOUND } from '../../../src/domain/outbound-http.js';
import { PaddockError } from '../../../src/errors/index.js';
import { type Packable, pack, unpack } from '../../../src/logging/targets/msgpack.js';
import type { Settings, TestRecord } from '../../../src/logging/targets/target-kind.js';
import { targetKind } from '../../../src/logging/targets/target-kinds.js';
import { type KafkaBroker, startKafkaBroker } from '../../support/kafka-broker.js';
import { type RsyslogProcess, startRsyslog } from '../../support/rsyslog-process.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { createTestCa, type TestCa } from '../../support/test-ca.js';
import { waitFor } from '../../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

const io = { http: sendOutbound, policy: ALLOW_ALL_OUTBOUND, timeoutMs: 5_000 };
const record = (message: string): TestRecord => ({
  time: new Date(),
  message,
  cluster: 'one',
  source: 'paddock',
});
/** The message a promise is rejected with; fails the test if it resolves. */
async function failureOf(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error('expected a failure, but it succeeded');
}
const test = (
  kind: Parameters<typeof targetKind>[0],
  settings: Settings,
  secrets: Record<string, string>,
  message: string,
) => targetKind(kind).test(settings, secrets, record(message), io);

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

describe('logging "test target" per kind', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let ca: TestCa;
  let rsyslog: RsyslogProcess;
  let receiver: WebhookReceiver;

  before(async () => {
    dir = await makeTempDir('logging-targets');
    ca = await createTestCa(dir.path, 'logs');
    const cert = await ca.issueServerCert('localhost', { dns: ['localhost'], ips: ['127.0.0.1'] });
    rsyslog = await startRsyslog(dir.path, {
      caPath: ca.caPath,
      certPath: cert.certPath,
      keyPath: cert.keyPath,
    });
    receiver = await startWebhookReceiver();
  });
  after(async () => {
    await rsyslog?.stop();
    await receiver?.stop();
    await dir?.remove();
  });

  for (const mode of ['udp', 'tcp', 'tls'] as const) {
    it(`delivers one RFC 5424 record to rsyslog over ${mode.toUpperCase()}`, async () => {
      const port = { udp: rsyslog.udpPort, tcp: rsyslog.tcpPort, tls: rsyslog.tlsPort }[mode];
      const marker = `paddock-${mode}-${randomBytes(4).toString('hex')}`;
      const answer = await test(
        'syslog',
        { host: mode === 'tls' ? 'localhost' : '127.0.0.1', port, mode, caPem: ca.caPem },
        {},
        marker,
      );
      expect(answer).to.include(mode);
      const line = await waitFor(`rsyslog to log ${marker}`, async () =>
        (await rsyslog.lines()).find((l) => l.includes(marker)),
      );
      expect(line.split(' ')[1]).to.equal('paddock');
    });
  }

  it('refuses a TLS syslog server whose certificate it cannot verify', async () => {
    let failed: unknown;
    try {
      await test(
        'syslog',
        { host: 'localhost', port: rsyslog.tlsPort, mode: 'tls' },
        {},
        'untrusted',
      );
    } catch (err) {
      failed = err;
    }
    expect(String(failed)).to.match(/self.signed|unable to verify|certificate/i);
  });

  it('posts one JSON record to an HTTP endpoint with its Authorization header', async () => {
    await test(
      'http',
      { url: `${receiver.url.replace('/hook', '/ingest')}` },
      { authorization: 'Bearer l0g-token' },
      'http-record',
    );
    const req = receiver.requests.at(-1)!;
    expect(req.headers.authorization).to.equal('Bearer l0g-token');
    expect(JSON.parse(req.body)[0]).to.include({ log: 'http-record', cluster: 'one' });
  });

  it('indexes one document in Elasticsearch with basic auth, and reports a refusal', async () => {
    const { port } = new URL(receiver.url);
    const settings = {
      host: '127.0.0.1',
      port: Number(port),
      index: 'paddock-logs',
      username: 'fluent',
    };
    await test('elasticsearch', settings, { password: 'es-pass' }, 'es-record');
    const req = receiver.requests.at(-1)!;
    expect(req.url).to.equal('/paddock-logs/_doc');
    expect(req.headers.authorization).to.equal(
      `Basic ${Buffer.from('fluent:es-pass').toString('base64')}`,
    );
    receiver.failNext(401);
    let failed: unknown;
    try {
      await test('elasticsearch', settings, { password: 'wrong' }, 'es-refused');
    } catch (err) {
      failed = err;
    }
    expect(String(failed)).to.include('401');
  });

  it('posts one event to the Splunk HTTP Event Collector with the Splunk token scheme', async () => {
    const { port } = new URL(receiver.url);
    await test(
      'splunk',
      { host: '127.0.0.1', port: Number(port), tls: false, index: 'k8s' },
      { token: 'hec-t0ken' },
      'splunk-record',
    );
    const req = receiver.requests.at(-1)!;
    expect(req.url).to.equal('/services/collector/event');
    expect(req.headers.authorization).to.equal('Splunk hec-t0ken');
    expect(JSON.parse(req.body)).to.deep.include({ index: 'k8s', sourcetype: 'paddock' });
  });

  it('speaks the forward protocol: shared-key handshake, then a record acknowledged by chunk id', async () => {
    const sharedKey = 'fwd-shared-key';
    const received: Packable[] = [];
    const server = createServer((socket) => {
      const nonce = randomBytes(16);
      socket.write(pack(['HELO', { nonce, auth: '', keepalive: true }]));
      let buf = Buffer.alloc(0);
      let authed = false;
      socket.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        for (let msg = unpack(buf); msg !== undefined; msg = unpack(buf)) {
          buf = buf.subarray(msg.size);
          const value = msg.value as Packable[];
          if (!authed) {
            const [, host, salt, digest] = value as string[];
            const ok =
              digest ===
              createHash('sha512')
                .update(salt!)
                .update(host!)
                .update(nonce)
                .update(sharedKey)
                .digest('hex');
            const mine = createHash('sha512')
              .update(salt!)
              .update('fluentd-test')
              .update(nonce)
              .update(sharedKey)
              .digest('hex');
            socket.write(pack(['PONG', ok, ok ? '' : 'shared key mismatch', 'fluentd-test', mine]));
            authed = ok;
            if (!ok) socket.end();
            continue;
          }
          received.push(value);
          const option = value[2] as { chunk: string };
          socket.write(pack({ ack: option.chunk }));
        }
      });
    });
    const port = await listen(server);
    try {
      const answer = await test(
        'fluentd',
        { host: '127.0.0.1', port, tag: 'paddock.test' },
        { sharedKey },
        'forward-record',
      );
      expect(answer).to.include('shared key verified');
      const [tag, entries] = received[0] as [string, [number, Record<string, string>][]];
      expect(tag).to.equal('paddock.test');
      expect(entries[0]![1]).to.include({ log: 'forward-record', cluster: 'one' });
      let failed: unknown;
      try {
        await test('fluentd', { host: '127.0.0.1', port }, { sharedKey: 'wrong-key' }, 'refused');
      } catch (err) {
        failed = err;
      }
      expect(String(failed)).to.include('refused the shared key');
    } finally {
      server.close();
    }
  });

  describe('Kafka', () => {
    let broker: KafkaBroker | undefined;
    afterEach(async () => {
      await broker?.close();
      broker = undefined;
    });

    it('produces one JSON record to the topic, in a batch whose CRC-32C the broker checks', async () => {
      broker = await startKafkaBroker({ topics: ['logs'] });
      const answer = await test(
        'kafka',
        { brokers: [`127.0.0.1:${broker.port}`], topic: 'logs' },
        {},
        'kafka record',
      );
      expect(answer).to.equal('produced one record to logs partition 0 at offset 0');
      expect(broker.records).to.have.length(1);
      const value = JSON.parse(broker.records[0]!.value!.toString('utf8'));
      expect(value).to.include({ log: 'kafka record', cluster: 'one', source: 'paddock' });
      expect(broker.requests).to.include.members([18, 3, 0]);
    });

    it('produces over TLS to a broker whose certificate the given CA signed', async () => {
      const leaf = await ca.issueServerCert('kafka', { ips: ['127.0.0.1'] });
      broker = await startKafkaBroker({
        topics: ['logs'],
        tls: { key: await readFile(leaf.keyPath, 'utf8'), cert: leaf.certPem },
      });
      const answer = await test(
        'kafka',
        { brokers: [`127.0.0.1:${broker.port}`], topic: 'logs', tls: true, caPem: ca.caPem },
        {},
        'over tls',
      );
      expect(answer).to.match(/^produced one record to logs/);
      expect(JSON.parse(broker.records[0]!.value!.toString('utf8')).log).to.equal('over tls');
    });

    it('names the topic a broker does not host and keeps nothing', async () => {
      broker = await startKafkaBroker({ topics: ['logs'] });
      const attempt = test(
        'kafka',
        { brokers: [`127.0.0.1:${broker.port}`], topic: 'missing' },
        {},
        'lost',
      );
      expect(await failureOf(attempt)).to.match(/topic|partition/i);
      expect(broker.records).to.have.length(0);
    });

    it('does not dial a broker that the cluster metadata names and the outbound policy refuses', async () => {
      broker = await startKafkaBroker({ topics: ['logs'] });
      // The seed is reached as "localhost", which the policy allows; the broker's metadata
      // names 127.0.0.1, which it refuses: the record must not be produced there.
      const checked: string[] = [];
      const policy = {
        check: async (host: string) => {
          checked.push(host);
          if (host !== 'localhost') {
            throw new PaddockError('FORBIDDEN', `outbound to ${host} is denied`, {
              reason: 'outbound_denied',
            });
          }
        },
      };
      const attempt = targetKind('kafka').test(
        { brokers: [`localhost:${broker.port}`], topic: 'logs' },
        {},
        record('redirected'),
        { ...io, policy },
      );
      expect(await failureOf(attempt)).to.be.a('string');
      expect(checked).to.include('127.0.0.1');
      expect(broker.records).to.have.length(0);
    });
  });

  it('dials no socket target the outbound policy refuses', async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    const port = await listen(server);
    const deny = {
      check: async (host: string) => {
        throw new PaddockError('FORBIDDEN', `outbound to ${host} is denied`, {
          reason: 'outbound_denied',
        });
      },
    };
    try {
      for (const [kind, settings] of [
        ['syslog', { host: '127.0.0.1', port, mode: 'tcp' }],
        ['syslog', { host: '127.0.0.1', port, mode: 'udp' }],
        ['fluentd', { host: '127.0.0.1', port }],
        ['kafka', { brokers: [`127.0.0.1:${port}`], topic: 'logs' }],
      ] as const) {
        let failed: unknown;
        try {
          await targetKind(kind).test(settings, {}, record('denied'), { ...io, policy: deny });
        } catch (err) {
          failed = err;
        }
        expect(String(failed), kind).to.include('denied');
      }
      expect(connections).to.equal(0);
    } finally {
      server.close();
    }
  });
});
