/** The part of MessagePack the Fluentd forward protocol needs: encode and decode. */

export type Packable =
  | null
  | boolean
  | number
  | string
  | Buffer
  | Packable[]
  | { [key: string]: Packable };

export function pack(value: Packable): Buffer {
  if (value === null) return Buffer.from([0xc0]);
  if (typeof value === 'boolean') return Buffer.from([value ? 0xc3 : 0xc2]);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) {
      if (value < 128) return Buffer.from([value]);
      const b = Buffer.alloc(5);
      b[0] = 0xce;
      b.writeUInt32BE(value, 1);
      return b;
    }
    const b = Buffer.alloc(9);
    b[0] = 0xcb;
    b.writeDoubleBE(value, 1);
    return b;
  }
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const n = bytes.length;
    const head =
      typeof value === 'string'
        ? n < 32
          ? Buffer.from([0xa0 | n])
          : n < 256
            ? Buffer.from([0xd9, n])
            : header(0xda, 0xdb, n)
        : n < 256
          ? Buffer.from([0xc4, n])
          : header(0xc5, 0xc6, n);
    return Buffer.concat([head, bytes]);
  }
  if (Array.isArray(value)) {
    const n = value.length;
    const head = n < 16 ? Buffer.from([0x90 | n]) : header(0xdc, 0xdd, n);
    return Buffer.concat([head, ...value.map(pack)]);
  }
  const entries = Object.entries(value);
  const n = entries.length;
  const head = n < 16 ? Buffer.from([0x80 | n]) : header(0xde, 0xdf, n);
  return Buffer.concat([head, ...entries.flatMap(([k, v]) => [pack(k), pack(v)])]);
}

function header(short: number, long: number, n: number): Buffer {
  if (n < 65536) {
    const b = Buffer.alloc(3);
    b[0] = short;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = long;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Decodes one value from the start; `undefined` when the buffer holds only part of it. */
export function unpack(buf: Buffer): { value: Packable; size: number } | undefined {
  try {
    const [value, size] = read(buf, 0);
    return { value, size };
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

function read(b: Buffer, at: number): [Packable, number] {
  const t = b.readUInt8(at);
  const str = (start: number, n: number): [Packable, number] => {
    if (start + n > b.length) throw new RangeError('short');
    return [b.toString('utf8', start, start + n), start + n];
  };
  const bin = (start: number, n: number): [Packable, number] => {
    if (start + n > b.length) throw new RangeError('short');
    return [b.subarray(start, start + n), start + n];
  };
  const list = (start: number, n: number): [Packable, number] => {
    const out: Packable[] = [];
    let p = start;
    for (let i = 0; i < n; i++) {
      const [v, next] = read(b, p);
      out.push(v);
      p = next;
    }
    return [out, p];
  };
  const map = (start: number, n: number): [Packable, number] => {
    const out: Record<string, Packable> = {};
    let p = start;
    for (let i = 0; i < n; i++) {
      const [k, afterKey] = read(b, p);
      const [v, afterValue] = read(b, afterKey);
      out[Buffer.isBuffer(k) ? k.toString('utf8') : String(k)] = v;
      p = afterValue;
    }
    return [out, p];
  };
  if (t < 0x80) return [t, at + 1];
  if (t >= 0xe0) return [t - 0x100, at + 1];
  if ((t & 0xf0) === 0x80) return map(at + 1, t & 0x0f);
  if ((t & 0xf0) === 0x90) return list(at + 1, t & 0x0f);
  if ((t & 0xe0) === 0xa0) return str(at + 1, t & 0x1f);
  switch (t) {
    case 0xc0:
      return [null, at + 1];
    case 0xc2:
      return [false, at + 1];
    case 0xc3:
      return [true, at + 1];
    case 0xc4:
      return bin(at + 2, b.readUInt8(at + 1));
    case 0xc5:
      return bin(at + 3, b.readUInt16BE(at + 1));
    case 0xc6:
      return bin(at + 5, b.readUInt32BE(at + 1));
    case 0xca:
      return [b.readFloatBE(at + 1), at + 5];
    case 0xcb:
      return [b.readDoubleBE(at + 1), at + 9];
    case 0xcc:
      return [b.readUInt8(at + 1), at + 2];
    case 0xcd:
      return [b.readUInt16BE(at + 1), at + 3];
    case 0xce:
      return [b.readUInt32BE(at + 1), at + 5];
    case 0xcf:
      return [Number(b.readBigUInt64BE(at + 1)), at + 9];
    case 0xd0:
      return [b.readInt8(at + 1), at + 2];
    case 0xd1:
      return [b.readInt16BE(at + 1), at + 3];
    case 0xd2:
      return [b.readInt32BE(at + 1), at + 5];
    case 0xd3:
      return [Number(b.readBigInt64BE(at + 1)), at + 9];
    case 0xd9:
      return str(at + 2, b.readUInt8(at + 1));
    case 0xda:
      return str(at + 3, b.readUInt16BE(at + 1));
    case 0xdb:
      return str(at + 5, b.readUInt32BE(at + 1));
    case 0xdc:
      return list(at + 3, b.readUInt16BE(at + 1));
    case 0xdd:
      return list(at + 5, b.readUInt32BE(at + 1));
    case 0xde:
      return map(at + 3, b.readUInt16BE(at + 1));
    case 0xdf:
      return map(at + 5, b.readUInt32BE(at + 1));
    default:
      throw new Error(`msgpack type 0x${t.toString(16)} is not supported`);
  }
}
