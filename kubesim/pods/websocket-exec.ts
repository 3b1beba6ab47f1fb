// exec/attach over WebSocket channel protocols (v5.channel.k8s.io with its close signal,
// v4.channel.k8s.io): byte 0 of each binary message is the stream (0 stdin, 1 stdout,
// 2 stderr, 3 error/status, 4 resize, 255 close).

import { type WebSocket, WebSocketServer } from 'ws';
import type { ExecSession } from './exec-session.js';
import { StdinQueue } from './exec-session.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export const channelWebSockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

export function openWebSocketSession(ws: WebSocket, tty: boolean): ExecSession {
  const stdin = new StdinQueue();
  let closed = false;
  const v5 = ws.protocol.startsWith('v5');
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const buf = isBinary ? data : Buffer.from(data);
    if (buf.length === 0) return;
    const channel = buf[0];
    if (channel === 0) stdin.push(buf.subarray(1).toString('utf8'));
    else if (channel === 255 && v5 && buf[1] === 0) stdin.end();
  });
  ws.on('close', () => {
    closed = true;
    stdin.end();
  });
  const send = (channel: number, text: string) => {
    if (ws.readyState === ws.OPEN && text.length > 0)
      ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  };
  return {
    io: {
      out: (t) => send(1, t),
      err: (t) => send(tty ? 1 : 2, t),
      read: () => stdin.read(),
      tty,
    },
    finish: (status) => {
      send(3, JSON.stringify(status));
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
    isClosed: () => closed,
  };
}
