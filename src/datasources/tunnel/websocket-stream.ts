/**
 * The `paddock-tunnel.v2` carrier (ADR 0022): a WebSocket in which each direction is **one
 * binary message of unbounded length**. RFC 6455 §5.2 lets a frame announce up to 2^63-1
 * payload bytes, so after a 10-byte frame header (14 from the agent, which must mask, with a
 * zero key) the connection carries nothing but HTTP/2 bytes. node:http2 can then read and
 * write the TLS socket natively, with no WebSocket parser, message events or JS stream in
 * between; an intermediary that relays WebSocket frames still sees a valid one.
 *
 * `startStream` finishes the switch on an upgraded socket: it sends this side's frame header,
 * reads and checks the peer's, and leaves the socket paused with anything read past the
 * header put back, ready to be handed to node:http2.
 */
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';

/** RFC 6455 §1.3: the GUID the `Sec-WebSocket-Accept` digest appends to the key. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** FIN and opcode 2 (binary): the one frame each side sends. */
const BINARY_FINAL = 0x82;
/** Payload length field value meaning "a 64-bit length follows". */
const LENGTH_64 = 127;
const MASK_BIT = 0x80;
/** The largest length a frame may announce (the top bit of the 64 must be 0). */
const ENDLESS = 0x7fff_ffff_ffff_ffffn;

/** Bytes of the frame header: 2 + 8 length bytes, + 4 for the (zero) masking key. */
export function streamHeaderBytes(masked: boolean): number {
  return masked ? 14 : 10;
}

/**
 * The frame header that starts this side's endless message. The agent is the WebSocket
 * client and must mask (§5.3); its key is zero, so masking leaves every byte as it is and
 * neither side has to touch the payload.
 */
export function streamFrameHeader(masked: boolean): Buffer {
  const header = Buffer.alloc(streamHeaderBytes(masked)); // the masking key stays zero
  header[0] = BINARY_FINAL;
  header[1] = LENGTH_64 | (masked ? MASK_BIT : 0);
  header.writeBigUInt64BE(ENDLESS, 2);
  return header;
}

/** Why a peer's frame header is not the one this carrier needs; undefined when it is. */
export function checkStreamFrameHeader(header: Buffer, masked: boolean): string | undefined {
  if (header.length < streamHeaderBytes(masked)) return 'the frame header is incomplete';
  if (header[0] !== BINARY_FINAL) return 'the first frame is not a final binary frame';
  if (((header[1] ?? 0) & MASK_BIT) !== (masked ? MASK_BIT : 0)) {
    return masked ? 'the frame from the agent is not masked' : 'the frame from Paddock is masked';
  }
  if (((header[1] ?? 0) & 0x7f) !== LENGTH_64 || header.readBigUInt64BE(2) !== ENDLESS) {
    return 'the frame does not announce an endless message';
  }
  if (masked && header.readUInt32BE(10) !== 0) return 'the masking key is not zero';
  return undefined;
}

/** `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key` (RFC 6455 §4.2.2). */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
}

export interface StartStreamOptions {
  /** Written first (the 101 answer and this side's frame header, or just the header). */
  readonly send: Buffer;
  /** Whether the peer's frame is masked (it is the agent's). */
  readonly peerMasked: boolean;
  /** Bytes already read past the HTTP head. */
  readonly head: Buffer;
  readonly timeoutMs: number;
}

/**
 * Sends this side's header and reads the peer's. Resolves once both are done, with the socket
 * paused and any bytes after the peer's header unshifted; node:http2 reads those first. (The
 * write must have completed before node:http2 takes the socket's handle over.)
 */
export function startStream(socket: Duplex, o: StartStreamOptions): Promise<void> {
  const need = streamHeaderBytes(o.peerMasked);
  return new Promise<void>((resolve, reject) => {
    let received = o.head;
    let sent = false;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      socket.off('error', onError);
      if (err !== undefined) {
        socket.destroy();
        reject(err);
        return;
      }
      socket.pause();
      if (received.length > need) socket.unshift(received.subarray(need));
      resolve();
    };
    const check = () => {
      if (received.length < need) return;
      const wrong = checkStreamFrameHeader(received.subarray(0, need), o.peerMasked);
      if (wrong !== undefined) {
        finish(new Error(`not a paddock-tunnel.v2 stream: ${wrong}`));
        return;
      }
      if (sent) finish();
    };
    const onData = (chunk: Buffer) => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      check();
    };
    const onClose = () => finish(new Error('the connection closed before the tunnel started'));
    const onError = (err: Error) => finish(err);
    const timer = setTimeout(
      () => finish(new Error(`the tunnel did not start within ${o.timeoutMs} ms`)),
      o.timeoutMs,
    );
    timer.unref();
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.on('error', onError);
    socket.write(o.send, (err) => {
      if (err) {
        finish(err);
        return;
      }
      sent = true;
      check();
    });
    check();
  });
}
