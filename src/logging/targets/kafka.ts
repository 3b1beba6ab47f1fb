/**
 * Kafka: Fluent Bit's `kafka` output (librdkafka, with TLS and SASL through `rdkafka.*`). The
 * test asks the first reachable broker for its API versions (request 18), which proves the
 * address speaks Kafka; producing a record needs the full producer protocol and is left to the
 * collector, so the result says so.
 */
import { connect, readUntil, write } from './socket-io.js';
import { str, type TargetKind } from './target-kind.js';

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

function apiVersionsRequest(correlationId: number): Buffer {
  const client = Buffer.from('paddock', 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // version 0
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(client.length, 8);
  client.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

export const kafkaTarget: TargetKind = {
  kind: 'kafka',
  settings: {
    brokers: { type: 'strings', required: true },
    topic: { type: 'string', required: true, pattern: /^[A-Za-z0-9._-]{1,249}$/ },
    tls: { type: 'boolean' },
    saslMechanism: { type: 'enum', values: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
    saslUsername: { type: 'string' },
    caPem: { type: 'string' },
  },
  secrets: { saslPassword: { required: false } },
  output(s, secrets, env) {
    const brokers = (s.brokers as string[]).join(',');
    const sasl = str(s.saslMechanism);
    const protocol = `${sasl ? 'sasl_' : ''}${s.tls === true ? 'ssl' : 'plaintext'}`;
    return [
      ['Brokers', brokers],
      ['Topics', str(s.topic)],
      ['Format', 'json'],
      ['Timestamp_Key', '@timestamp'],
      ['rdkafka.security.protocol', protocol],
      ...(sasl
        ? ([
            ['rdkafka.sasl.mechanism', sasl],
            ['rdkafka.sasl.username', str(s.saslUsername)],
            ...(secrets.has('saslPassword')
              ? [['rdkafka.sasl.password', env('saslPassword')]]
              : []),
          ] as [string, string][])
        : []),
    ];
  },
  async test(s, _secrets, _record, io) {
    const failures: string[] = [];
    for (const broker of s.brokers as string[]) {
      if (!BROKER.test(broker)) {
        failures.push(`${broker}: not host:port`);
        continue;
      }
      const at = broker.lastIndexOf(':');
      try {
        const socket = await connect({
          host: broker.slice(0, at),
          port: Number(broker.slice(at + 1)),
          tls: s.tls === true,
          ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
          timeoutMs: io.timeoutMs,
          policy: io.policy,
        });
        try {
          await write(socket, apiVersionsRequest(7));
          const answer = await readUntil(
            socket,
            (b) => b.length >= 4 && b.length >= 4 + b.readInt32BE(0),
            io.timeoutMs,
          );
          if (answer.readInt32BE(4) !== 7) throw new Error('the answer is not a Kafka response');
          const error = answer.readInt16BE(8);
          if (error !== 0) throw new Error(`ApiVersions error code ${error}`);
          return `broker ${broker} answered ApiVersions; the collector produces to topic ${str(s.topic)} (no test record is produced)`;
        } finally {
          socket.destroy();
        }
      } catch (err) {
        failures.push(`${broker}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new Error(`no broker answered: ${failures.join('; ')}`);
  },
};
