/**
 * A single-node Kafka broker at the wire-protocol level, for the logging target's test: it
 * answers ApiVersions (v0-v2), Metadata (v0) and Produce (v3, record batches of magic 2),
 * checks each batch's CRC-32C as a broker does, and keeps the produced records per topic.
 * No Kafka server can run on this machine (no Debian package, no JVM distribution reachable),
 * so this speaks the documented protocol (kafka.apache.org/protocol) instead; the client under
 * test is kafkajs, an independent implementation of that protocol.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface ProducedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

export interface KafkaBroker {
  readonly port: number;
  readonly records: readonly ProducedRecord[];
  /** Every API key the broker was asked, in order. */
  readonly requests: readonly number[];
  close(): Promise<void>;
}

const API = { produce: 0, metadata: 3, apiVersions: 18 } as const;
const UNKNOWN_TOPIC = 3;
const CORRUPT_MESSAGE = 2;

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC32C_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

class Reader {
  #at = 0;
  constructor(private readonly b: Buffer) {}
  get at(): number {
    return this.#at;
  }
  int8 = () => this.b.readInt8(this.#at++);
  int16 = () => {
    const v = this.b.readInt16BE(this.#at);
    this.#at += 2;
    return v;
  };
  int32 = () => {
    const v = this.b.readInt32BE(this.#at);
    this.#at += 4;
    return v;
  };
  uint32 = () => {
    const v = this.b.readUInt32BE(this.#at);
    this.#at += 4;
    return v;
  };
  int64 = () => {
    const v = this.b.readBigInt64BE(this.#at);
    this.#at += 8;
    return v;
  };
  bytes = (n: number) => {
    const v = this.b.subarray(this.#at, this.#at + n);
    this.#at += n;
    return v;
  };
  string = (): string | null => {
    const n = this.int16();
    return n < 0 ? null : this.bytes(n).toString('utf8');
  };
  /** A zig-zag varint (records use them for lengths and deltas). */
  varint = (): number => {
    let raw = 0;
    let shift = 0;
    for (;;) {
      const byte = this.b[this.#at++]!;
      raw |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (raw >>> 1) ^ -(raw & 1);
  };
  varBytes = (): Buffer | null => {
    const n = this.varint();
    return n < 0 ? null : this.bytes(n);
  };
  array = <T>(item: () => T): T[] => Array.from({ length: this.int32() }, item);
}

class Writer {
  readonly #parts: Buffer[] = [];
  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    this.#parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.#parts.push(b);
    return this;
  }
  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.#parts.push(b);
    return this;
  }
  string(v: string): this {
    const s = Buffer.from(v, 'utf8');
    this.int16(s.length);
    this.#parts.push(s);
    return this;
  }
  array<T>(items: readonly T[], each: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(item);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

/** Decodes one record batch (magic 2); refuses a batch whose CRC-32C does not match. */
function decodeBatch(batch: Buffer): { key: Buffer | null; value: Buffer | null }[] {
  const r = new Reader(batch);
  r.int64(); // base offset
  r.int32(); // batch length
  r.int32(); // partition leader epoch
  const magic = r.int8();
  if (magic !== 2) throw new Error(`record batch magic ${magic}, not 2`);
  const crc = r.uint32();
  if (crc32c(batch.subarray(r.at)) !== crc) throw new Error('record batch CRC-32C mismatch');
  const attributes = r.int16();
  if ((attributes & 0x07) !== 0) throw new Error('compressed batches are not kept by this broker');
  r.int32(); // last offset delta
  r.int64(); // first timestamp
  r.int64(); // max timestamp
  r.int64(); // producer id
  r.int16(); // producer epoch
  r.int32(); // base sequence
  return r.array(() => {
    r.varint(); // record length
    r.int8(); // attributes
    r.varint(); // timestamp delta
    r.varint(); // offset delta
    const key = r.varBytes();
    const value = r.varBytes();
    const headers = r.varint();
    for (let h = 0; h < headers; h++) {
      r.varBytes();
      r.varBytes();
    }
    return { key, value };
  });
}

export async function startKafkaBroker(
  options: { topics?: readonly string[]; tls?: { key: string; cert: string } } = {},
): Promise<KafkaBroker> {
  const topics = new Set(options.topics ?? ['logs']);
  const records: ProducedRecord[] = [];
  const requests: number[] = [];
  let port = 0;

  const answer = (apiKey: number, version: number, body: Reader): Buffer => {
    if (apiKey === API.apiVersions) {
      const apis: [number, number, number][] = [
        [API.produce, 3, 3],
        [API.metadata, 0, 0],
        [API.apiVersions, 0, 2],
      ];
      const w = new Writer();
      w.int16(0).array(apis, ([key, min, max]) => {
        w.int16(key).int16(min).int16(max);
      });
      if (version >= 1) w.int32(0);
      return w.done();
    }
    if (apiKey === API.metadata) {
      const asked = body.array(() => body.string() ?? '');
      const w = new Writer();
      w.array([0], (id) => {
        w.int32(id).string('127.0.0.1').int32(port);
      });
      w.array(asked.length > 0 ? asked : [...topics], (name) => {
        if (!topics.has(name)) {
          w.int16(UNKNOWN_TOPIC)
            .string(name)
            .array([], () => undefined);
          return;
        }
        w.int16(0)
          .string(name)
          .array([0], (partition) => {
            w.int16(0).int32(partition).int32(0);
            w.array([0], (replica) => w.int32(replica));
            w.array([0], (replica) => w.int32(replica));
          });
      });
      return w.done();
    }
    if (apiKey === API.produce) {
      body.string(); // transactional id
      body.int16(); // acks
      body.int32(); // timeout
      const produced = body.array(() => {
        const topic = body.string() ?? '';
        const partitions = body.array(() => {
          const partition = body.int32();
          const set = body.bytes(body.int32());
          if (!topics.has(topic)) return { partition, error: UNKNOWN_TOPIC, base: -1n };
          let batch: ReturnType<typeof decodeBatch>;
          try {
            batch = decodeBatch(set);
          } catch {
            return { partition, error: CORRUPT_MESSAGE, base: -1n };
          }
          const base = BigInt(records.filter((r) => r.topic === topic).length);
          batch.forEach((rec, i) => {
            records.push({ topic, partition, offset: base + BigInt(i), ...rec });
          });
          return { partition, error: 0, base };
        });
        return { topic, partitions };
      });
      const w = new Writer();
      w.array(produced, ({ topic, partitions }) => {
        w.string(topic).array(partitions, ({ partition, error, base }) => {
          w.int32(partition).int16(error).int64(base).int64(-1n);
        });
      });
      return w.int32(0).done();
    }
    throw new Error(`API key ${apiKey} is not served by this broker`);
  };

  const sockets = new Set<net.Socket>();
  const onSocket = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const r = new Reader(frame);
        const apiKey = r.int16();
        const version = r.int16();
        const correlationId = r.int32();
        r.string(); // client id
        requests.push(apiKey);
        let body: Buffer;
        try {
          body = answer(apiKey, version, r);
        } catch {
          socket.destroy();
          return;
        }
        const head = Buffer.alloc(8);
        head.writeInt32BE(4 + body.length, 0);
        head.writeInt32BE(correlationId, 4);
        socket.write(Buffer.concat([head, body]));
      }
    });
  };

  const server = options.tls ? tls.createServer(options.tls, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
  return {
    port,
    records,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
