/**
 * Produces one record to a Kafka topic with kafkajs (a dependency-free client of the full
 * producer protocol: ApiVersions, Metadata, SASL, Produce with record batches). Every socket
 * it opens goes through the outbound policy: the configured brokers are checked before the
 * client starts (so a refused one is a clear FORBIDDEN), and every socket, including those to
 * brokers the cluster's metadata names, is checked again before it dials, so a target cannot use
 * Kafka's metadata to make Paddock dial somewhere the policy refuses.
 */
import net from 'node:net';
import tls from 'node:tls';
import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';
import type { OutboundDialPolicy } from '../../domain/outbound-http.js';

export interface KafkaProduceTarget {
  /** `host:port` each, already checked for shape. */
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly tls: boolean;
  readonly caPem?: string;
  readonly sasl?: {
    readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
    readonly username: string;
    readonly password: string;
  };
  readonly timeoutMs: number;
  readonly policy: OutboundDialPolicy;
}

export interface Produced {
  readonly partition: number;
  readonly offset: string;
}

const hostOf = (broker: string) => broker.slice(0, broker.lastIndexOf(':'));

function saslOptions(sasl: NonNullable<KafkaProduceTarget['sasl']>): SASLOptions {
  const credentials = { username: sasl.username, password: sasl.password };
  if (sasl.mechanism === 'PLAIN') return { mechanism: 'plain', ...credentials };
  if (sasl.mechanism === 'SCRAM-SHA-256') return { mechanism: 'scram-sha-256', ...credentials };
  return { mechanism: 'scram-sha-512', ...credentials };
}

/**
 * A socket kafkajs can use at once that dials only after the policy allowed `host`; a refusal
 * destroys it, which kafkajs reports as a connection error naming the reason.
 */
function policedSocket(
  policy: OutboundDialPolicy,
  args: { host: string; port: number; ssl: tls.ConnectionOptions; onConnect: () => void },
  useTls: boolean,
): net.Socket {
  const { host, port, ssl, onConnect } = args;
  const raw = new net.Socket();
  const lookup = policy.lookup ? { lookup: policy.lookup } : {};
  policy.check(host).then(
    () => raw.connect({ host, port, ...lookup }, useTls ? undefined : onConnect),
    (err: unknown) => raw.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  if (!useTls) return raw;
  const servername = net.isIP(host) ? {} : { servername: host };
  const secure = tls.connect({ ...ssl, host, port, ...servername, socket: raw }, onConnect);
  raw.once('error', (err) => secure.destroy(err));
  return secure;
}

export async function produceOne(target: KafkaProduceTarget, value: string): Promise<Produced> {
  for (const host of new Set(target.brokers.map(hostOf))) await target.policy.check(host);
  const config: KafkaConfig = {
    clientId: 'paddock',
    brokers: [...target.brokers],
    connectionTimeout: target.timeoutMs,
    authenticationTimeout: target.timeoutMs,
    requestTimeout: target.timeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
    ...(target.tls ? { ssl: target.caPem ? { ca: [target.caPem] } : true } : {}),
    ...(target.sasl ? { sasl: saslOptions(target.sasl) } : {}),
    socketFactory: (args) => policedSocket(target.policy, args, target.tls),
  };
  const producer = new Kafka(config).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const [result] = await producer.send({
      topic: target.topic,
      acks: -1,
      timeout: target.timeoutMs,
      messages: [{ value }],
    });
    if (result === undefined) throw new Error(`topic ${target.topic} accepted nothing`);
    return { partition: result.partition, offset: result.baseOffset ?? result.offset ?? '?' };
  } finally {
    await producer.disconnect();
  }
}
