/**
 * Kafka: Fluent Bit's `kafka` output (librdkafka, with TLS and SASL through `rdkafka.*`). The
 * test produces one JSON record to the topic as Paddock itself, the way the collector will.
 */
import { produceOne } from './kafka-produce.js';
import { str, type TargetKind } from './target-kind.js';

const BROKER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

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
  async test(s, secrets, record, io) {
    const brokers = s.brokers as string[];
    const malformed = brokers.filter((b) => !BROKER.test(b));
    if (malformed.length > 0) throw new Error(`not host:port: ${malformed.join(', ')}`);
    const mechanism = str(s.saslMechanism) as 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | '';
    const topic = str(s.topic);
    const produced = await produceOne(
      {
        brokers,
        topic,
        tls: s.tls === true,
        ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
        ...(mechanism
          ? {
              sasl: {
                mechanism,
                username: str(s.saslUsername),
                password: secrets.saslPassword ?? '',
              },
            }
          : {}),
        timeoutMs: io.timeoutMs,
        policy: io.policy,
      },
      JSON.stringify({
        '@timestamp': record.time.toISOString(),
        log: record.message,
        cluster: record.cluster,
        source: record.source,
      }),
    );
    return `produced one record to ${topic} partition ${produced.partition} at offset ${produced.offset}`;
  },
};
