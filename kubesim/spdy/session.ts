// The server side of a SPDY/3.1 session as Kubernetes streaming uses it (moby/spdystream on the
// client): the client opens streams with SYN_STREAM, we answer SYN_REPLY, both sides send DATA
// and half-close with FIN. Each stream is a Node Duplex. spdystream does no flow control, so
// WINDOW_UPDATE and SETTINGS are read and ignored; client PINGs (odd ids) are echoed.

import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import {
  HeaderDeflater,
  HeaderInflater,
  type SpdyHeaders,
  SpdyProtocolError,
} from './header-codec.js';

const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 0x01;
const MAX_DATA = 32 * 1024;

export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;

/** One SPDY stream: readable side is the peer's DATA, writable side sends ours. */
export class SpdyStream extends Duplex {
  constructor(
    readonly id: number,
    readonly headers: SpdyHeaders,
    private readonly session: SpdySession,
  ) {
    super({ allowHalfOpen: true });
  }

  /** The first value of a header (names are lower case in SPDY). */
  header(name: string): string {
    return this.headers[name.toLowerCase()]?.[0] ?? '';
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    for (let off = 0; off < chunk.length; off += MAX_DATA) {
      this.session.sendData(this.id, chunk.subarray(off, off + MAX_DATA), false);
    }
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true);
    cb();
  }

  /** Abruptly ends the stream with RST_STREAM. */
  reset(status = RST_CANCEL): void {
    this.session.sendReset(this.id, status);
    this.destroy();
  }
}

/** Returns undefined to accept a new stream, or a reason to reset it. */
export type StreamAcceptor = (stream: SpdyStream) => string | undefined;

export class SpdySession extends EventEmitter {
  private pending: Buffer = Buffer.alloc(0);
  private readonly inflater = new HeaderInflater();
  private readonly deflater = new HeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private closed = false;

  constructor(
    private readonly sink: (frame: Buffer) => void,
    private readonly accept: StreamAcceptor,
  ) {
    super();
  }

  /** Feeds bytes read from the connection. */
  feed(chunk: Buffer): void {
    if (this.closed) return;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      while (this.pending.length >= 8) {
        const length = this.pending.readUInt32BE(4) & 0xffffff;
        if (this.pending.length < 8 + length) break;
        const frame = this.pending.subarray(0, 8 + length);
        this.pending = this.pending.subarray(8 + length);
        this.handleFrame(frame);
      }
    } catch (err) {
      this.emit('protocolError', err);
      this.goAway(1);
      this.close();
    }
  }

  private handleFrame(frame: Buffer): void {
    const first = frame.readUInt32BE(0);
    const flags = frame[4] ?? 0;
    const payload = frame.subarray(8);
    if ((first & 0x80000000) === 0) {
      const stream = this.streams.get(first & 0x7fffffff);
      if (!stream) return;
      if (payload.length > 0) stream.push(Buffer.from(payload));
      if (flags & FLAG_FIN) stream.push(null);
      return;
    }
    const type = first & 0xffff;
    switch (type) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        if (id === 0) throw new SpdyProtocolError('stream id zero is disallowed');
        const headers = this.inflater.inflate(payload.subarray(10));
        this.openStream(id, headers, (flags & FLAG_FIN) !== 0);
        return;
      }
      case RST_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const stream = this.streams.get(id);
        this.streams.delete(id);
        stream?.destroy();
        return;
      }
      case PING: {
        // Echo the client's pings (odd ids); ours would be even and we send none.
        if (payload.readUInt32BE(0) & 1) this.sink(Buffer.from(frame));
        return;
      }
      case GOAWAY:
        this.emit('goaway');
        return;
      default:
        // SYN_REPLY (we open no streams), SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
        // without flow control.
        return;
    }
  }

  private openStream(id: number, headers: SpdyHeaders, fin: boolean): void {
    const stream = new SpdyStream(id, headers, this);
    const rejection = this.accept(stream);
    if (rejection !== undefined) {
      this.sendReset(id, RST_CANCEL);
      this.emit('rejected', stream, rejection);
      return;
    }
    this.streams.set(id, stream);
    const forget = () => {
      if (this.streams.get(id) === stream) this.streams.delete(id);
    };
    stream.on('close', forget);
    stream.on('error', () => {});
    this.sendControl(SYN_REPLY, 0, Buffer.concat([u32(id), this.deflater.deflate({})]));
    if (fin) stream.push(null);
    this.emit('stream', stream);
  }

  sendData(id: number, data: Buffer, fin: boolean): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt32BE(id & 0x7fffffff, 0);
    head.writeUInt32BE(((fin ? FLAG_FIN : 0) << 24) | data.length, 4);
    this.sink(Buffer.concat([head, data]));
  }

  sendReset(id: number, status: number): void {
    if (this.closed) return;
    this.sendControl(RST_STREAM, 0, Buffer.concat([u32(id), u32(status)]));
    this.streams.delete(id);
  }

  goAway(status = 0): void {
    if (this.closed) return;
    let last = 0;
    for (const id of this.streams.keys()) last = Math.max(last, id);
    this.sendControl(GOAWAY, 0, Buffer.concat([u32(last), u32(status)]));
  }

  private sendControl(type: number, flags: number, payload: Buffer): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8003, 0); // control bit + version 3
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
    this.sink(Buffer.concat([head, payload]));
  }

  /** The connection is gone: end every stream. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.emit('close');
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
