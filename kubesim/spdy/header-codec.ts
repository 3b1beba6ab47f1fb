// SPDY/3 name/value header blocks and their zlib compression. Each direction of a session is
// one zlib stream primed with the SPDY dictionary and sync-flushed after every block.
//
// Inflating: Node has no synchronous streaming inflate, so each block is inflated on its own
// as raw deflate data, primed with the last 32 KiB of everything inflated before (the deflate
// window). That equals one continuous stream because a sync flush leaves every block starting
// byte-aligned at a fresh deflate block.
// Deflating: blocks go out as stored (uncompressed) deflate blocks, which any zlib reader
// decodes, each followed by the sync-flush marker; only the first block carries the zlib
// header with the dictionary id.

import { constants, inflateRawSync } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.js';

export type SpdyHeaders = Record<string, string[]>;

const WINDOW = 32 * 1024;

export function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + (buf[i] ?? 0)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const DICTIONARY_ID = adler32(SPDY3_DICTIONARY);
if (DICTIONARY_ID !== 0xe3c6a7c2) throw new Error('corrupt SPDY/3 dictionary');

export class SpdyProtocolError extends Error {}

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  const entries = Object.entries(headers);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, values] of entries) {
    for (const s of [name.toLowerCase(), values.join('\0')]) {
      const bytes = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = {};
  let pos = 0;
  const readString = (): string => {
    if (pos + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(pos);
    pos += 4;
    if (pos + len > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.subarray(pos, pos + len).toString('utf8');
    pos += len;
    return s;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  pos = 4;
  for (let i = 0; i < count; i++) {
    const name = readString().toLowerCase();
    const value = readString();
    headers[name] = [...(headers[name] ?? []), ...value.split('\0')];
  }
  return headers;
}

/** One direction's decompressor. */
export class HeaderInflater {
  private window: Buffer = SPDY3_DICTIONARY;
  private started = false;

  inflate(compressed: Buffer): SpdyHeaders {
    let data = compressed;
    if (!this.started) {
      if (data.length < 2 || ((data[0] ?? 0) & 0x0f) !== 8)
        throw new SpdyProtocolError('header block is not a zlib stream');
      const hasDictionary = ((data[1] ?? 0) & 0x20) !== 0;
      data = data.subarray(hasDictionary ? 6 : 2);
      if (!hasDictionary) this.window = Buffer.alloc(0);
      this.started = true;
    }
    const out = inflateRawSync(data, {
      finishFlush: constants.Z_SYNC_FLUSH,
      ...(this.window.length > 0 ? { dictionary: this.window } : {}),
    });
    const joined = Buffer.concat([this.window, out]);
    this.window = joined.length > WINDOW ? joined.subarray(joined.length - WINDOW) : joined;
    return decodeHeaderBlock(out);
  }
}

/** One direction's compressor (stored blocks, see the file comment). */
export class HeaderDeflater {
  private started = false;

  deflate(headers: SpdyHeaders): Buffer {
    const raw = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      const zhead = Buffer.alloc(6);
      zhead[0] = 0x78;
      zhead[1] = 0xf9; // best compression, preset dictionary; (0x78f9 % 31) === 0
      zhead.writeUInt32BE(DICTIONARY_ID, 2);
      parts.push(zhead);
      this.started = true;
    }
    for (let off = 0; off < raw.length || off === 0; off += 0xffff) {
      const chunk = raw.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0; // BFINAL=0, BTYPE=00 (stored)
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
      if (raw.length === 0) break;
    }
    // An empty stored block, as zlib's sync flush emits: Go's flate reader only hands out a
    // stored block's bytes once it has seen the next block start, which must be in this frame.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}
