/**
 * Fluentd (or Fluent Bit) forward protocol: Fluent Bit's `forward` output. The test speaks
 * forward protocol v1 itself: the shared-key handshake (HELO / PING / PONG) when a shared key
 * is set, then one Forward-mode message with a `chunk` id, and waits for the server's `ack`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Packable, pack, unpack } from './msgpack.js';
import { connect, readUntil, write } from './socket-io.js';
import { HOST, num, onOff, PORT, str, type TargetKind } from './target-kind.js';

const sha512 = (...parts: (string | Buffer)[]) => {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

const asText = (v: Packable | undefined) =>
  Buffer.isBuffer(v) ? v.toString('utf8') : String(v ?? '');

export const fluentdTarget: TargetKind = {
  kind: 'fluentd',
  settings: {
    host: HOST,
    port: PORT,
    tls: { type: 'boolean' },
    selfHostname: { type: 'string' },
    tag: { type: 'string', pattern: /^[A-Za-z0-9_.-]{1,128}$/ },
    caPem: { type: 'string' },
  },
  secrets: { sharedKey: { required: false } },
  output(s, secrets, env) {
    return [
      ['Host', str(s.host)],
      ['Port', String(num(s.port, 24224))],
      ['Self_Hostname', str(s.selfHostname, 'paddock')],
      ['tls', onOff(s.tls)],
      ...(s.tls === true ? ([['tls.verify', 'On']] as [string, string][]) : []),
      ...(secrets.has('sharedKey')
        ? ([['Shared_Key', env('sharedKey')]] as [string, string][])
        : []),
      ...(str(s.tag) ? ([['Tag', str(s.tag)]] as [string, string][]) : []),
    ];
  },
  async test(s, secrets, record, io) {
    const socket = await connect({
      host: str(s.host),
      port: num(s.port, 24224),
      tls: s.tls === true,
      ...(str(s.caPem) ? { caPem: str(s.caPem) } : {}),
      timeoutMs: io.timeoutMs,
      policy: io.policy,
    });
    const next = async () => {
      const buf = await readUntil(socket, (b) => unpack(b) !== undefined, io.timeoutMs);
      return unpack(buf)?.value;
    };
    try {
      const self = str(s.selfHostname, 'paddock');
      if (secrets.sharedKey) {
        const helo = (await next()) as Packable[];
        if (!Array.isArray(helo) || asText(helo[0]) !== 'HELO')
          throw new Error('the server sent no HELO');
        const options = (helo[1] ?? {}) as Record<string, Packable>;
        const nonce = Buffer.isBuffer(options.nonce)
          ? options.nonce
          : Buffer.from(asText(options.nonce));
        const salt = randomBytes(16).toString('hex');
        await write(
          socket,
          pack(['PING', self, salt, sha512(salt, self, nonce, secrets.sharedKey), '', '']),
        );
        const pong = (await next()) as Packable[];
        if (!Array.isArray(pong) || asText(pong[0]) !== 'PONG')
          throw new Error('the server sent no PONG');
        if (pong[1] !== true)
          throw new Error(`the server refused the shared key: ${asText(pong[2])}`);
        const expected = sha512(salt, asText(pong[3]), nonce, secrets.sharedKey);
        if (asText(pong[4]) !== expected)
          throw new Error('the server does not know the shared key');
      }
      const chunk = randomBytes(16).toString('base64');
      const entry = [
        Math.floor(record.time.getTime() / 1000),
        { log: record.message, cluster: record.cluster, source: record.source },
      ] as Packable;
      await write(socket, pack([str(s.tag, 'paddock.test'), [entry], { chunk, size: 1 }]));
      const ack = (await next()) as Record<string, Packable>;
      if (asText(ack?.ack) !== chunk) throw new Error('the server did not acknowledge the record');
      return `the forward server acknowledged the record${secrets.sharedKey ? ' (shared key verified)' : ''}`;
    } finally {
      socket.destroy();
    }
  },
};
