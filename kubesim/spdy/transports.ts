// Carrying a SPDY session: over an HTTP/1.1 connection upgraded with `Upgrade: SPDY/3.1` (the
// classic kubectl path), or tunnelled in binary WebSocket messages under the subprotocol
// `SPDY/3.1+<protocol>` (kubectl >= 1.31 port-forward). A tunnelled SPDY frame may be split
// across several messages, so messages are fed to the session as a byte stream.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { SpdySession, type StreamAcceptor } from './session.js';

export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';

/** Protocols from X-Stream-Protocol-Version lines, comma-separated values split, in order. */
export function clientStreamProtocols(req: IncomingMessage): string[] {
  return (req.headersDistinct['x-stream-protocol-version'] ?? [])
    .flatMap((line) => line.split(','))
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** The apiserver's httpstream.Handshake: the first client protocol the server knows. */
export function negotiateStreamProtocol(client: string[], server: string[]): string {
  return client.find((p) => server.includes(p)) ?? '';
}

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (
    (req.headers.connection ?? '').toLowerCase().includes('upgrade') &&
    (req.headers.upgrade ?? '').toLowerCase().includes('spdy/3.1')
  );
}

/** Answers 101 on a hijacked connection and runs a SPDY session on it. */
export function upgradeSocketToSpdy(
  socket: Socket,
  head: Buffer,
  protocol: string,
  accept: StreamAcceptor,
): SpdySession {
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Connection: Upgrade',
    'Upgrade: SPDY/3.1',
    ...(protocol ? [`X-Stream-Protocol-Version: ${protocol}`] : []),
    `Date: ${new Date().toUTCString()}`,
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  socket.setNoDelay(true);
  const session = new SpdySession((frame) => {
    if (!socket.destroyed) socket.write(frame);
  }, accept);
  socket.on('data', (chunk: Buffer) => session.feed(chunk));
  socket.on('close', () => session.close());
  socket.on('error', () => session.close());
  session.on('close', () => socket.end());
  if (head.length > 0) session.feed(head);
  return session;
}

/** Runs a SPDY session inside an accepted WebSocket (binary messages both ways). */
export function tunnelSpdyOverWebSocket(ws: WebSocket, accept: StreamAcceptor): SpdySession {
  const session = new SpdySession((frame) => {
    if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
  }, accept);
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) {
      // The client's TunnelingConnection rejects anything but binary messages; so do we.
      ws.close(1003, 'invalid message type received');
      return;
    }
    const buf = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    session.feed(buf);
  });
  ws.on('close', () => session.close());
  ws.on('error', () => session.close());
  session.on('close', () => {
    if (ws.readyState === ws.OPEN) ws.close(1000);
  });
  return session;
}
