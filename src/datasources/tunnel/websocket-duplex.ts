/**
 * A WebSocket as the byte stream an HTTP/2 session runs on (both ends of the tunnel). Unlike
 * `ws`'s `createWebSocketStream`, writes that arrive together are sent as one binary message:
 * node:http2 hands its socket a frame header and a payload as separate buffers (through
 * `cork`/`uncork`), and one message per buffer, each waiting for the previous one's write,
 * cost a TLS record and a round through the event loop apiece (ADR 0017).
 */
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Largest message sent. node:http2 may hand over everything its windows allow in one write
 * (megabytes when many streams carry big answers); the peer refuses messages above its
 * `maxPayload`, which `MAX_TUNNEL_MESSAGE_BYTES` stays well below.
 */
export const MAX_TUNNEL_MESSAGE_BYTES = 1024 * 1024;

export function websocketDuplex(ws: WebSocket): Duplex {
  const send = (data: Buffer, callback: (err?: Error | null) => void) => {
    if (ws.readyState !== ws.OPEN) {
      callback(new Error('the WebSocket is not open'));
      return;
    }
    for (let at = 0; at < data.length; at += MAX_TUNNEL_MESSAGE_BYTES) {
      const end = Math.min(data.length, at + MAX_TUNNEL_MESSAGE_BYTES);
      const piece = at === 0 && end === data.length ? data : data.subarray(at, end);
      // Messages go out in order; the last one's completion completes the write.
      if (end === data.length) ws.send(piece, { binary: true }, (err) => callback(err ?? null));
      else ws.send(piece, { binary: true });
    }
  };
  const duplex = new Duplex({
    // Backpressure from the reader: the socket is paused until the session reads again.
    read() {
      if (ws.isPaused) ws.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      send(chunk, callback);
    },
    writev(chunks, callback) {
      send(
        chunks.length === 1
          ? (chunks[0]!.chunk as Buffer)
          : Buffer.concat(chunks.map((c) => c.chunk as Buffer)),
        callback,
      );
    },
    final(callback) {
      ws.close(1000);
      callback();
    },
    destroy(err, callback) {
      ws.terminate();
      callback(err);
    },
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) {
      duplex.destroy(new Error('a text message on the tunnel'));
      return;
    }
    if (!duplex.push(data)) ws.pause();
  });
  ws.once('close', () => duplex.push(null));
  return duplex;
}
