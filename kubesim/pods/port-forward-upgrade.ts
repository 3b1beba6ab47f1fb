// The three ways a pods/portforward upgrade arrives, routed like the 1.32 apiserver's
// translating handler: a WebSocket offering `SPDY/3.1+portforward.k8s.io` is a SPDY tunnel
// (kubectl >= 1.31), any other WebSocket goes to the kubelet's channel protocol
// (@kubernetes/client-node), and `Upgrade: SPDY/3.1` is classic SPDY.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SimCluster } from '../server/sim-cluster.js';
import {
  clientStreamProtocols,
  isSpdyUpgrade,
  negotiateStreamProtocol,
  SPDY_TUNNEL_PREFIX,
  tunnelSpdyOverWebSocket,
  upgradeSocketToSpdy,
} from '../spdy/transports.js';
import type { KubeObject } from '../storage/types.js';
import {
  acceptPortForwardStream,
  forwardPort,
  PORT_FORWARD_PROTOCOL,
  servePortForward,
} from './port-forward.js';
import { rejectText } from './upgrade-responses.js';

const TUNNEL_PROTOCOL = `${SPDY_TUNNEL_PREFIX}${PORT_FORWARD_PROTOCOL}`;
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];

// `SPDY/3.1+…` is not an RFC 7230 token ('/' is a separator), so ws refuses the header; gorilla
// (the apiserver's library) accepts it. Hide it from ws and answer the subprotocol ourselves.
const tunnelRequests = new WeakSet<IncomingMessage>();
const tunnelSockets = new WebSocketServer({ noServer: true });
tunnelSockets.on('headers', (headers: string[], req: IncomingMessage) => {
  if (tunnelRequests.has(req)) headers.push(`Sec-WebSocket-Protocol: ${TUNNEL_PROTOCOL}`);
});
const channelSockets = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function offeredWebSocketProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

function refuseNegotiation(socket: Socket, client: string[]): void {
  rejectText(
    socket,
    403,
    `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`,
    [`X-Accepted-Stream-Protocol-Versions: ${PORT_FORWARD_PROTOCOL}`],
  );
}

export function upgradePortForward(
  cluster: SimCluster,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  pod: KubeObject,
): void {
  const now = () => cluster.now();
  const isWebSocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  if (isWebSocket) {
    const offered = offeredWebSocketProtocols(req);
    const tunnelled = offered
      .filter((p) => p.startsWith(SPDY_TUNNEL_PREFIX) && p.endsWith('.k8s.io'))
      .map((p) => p.slice(SPDY_TUNNEL_PREFIX.length));
    if (tunnelled.length > 0) {
      if (!negotiateStreamProtocol(tunnelled, [PORT_FORWARD_PROTOCOL])) {
        refuseNegotiation(socket, tunnelled);
        return;
      }
      delete req.headers['sec-websocket-protocol'];
      tunnelRequests.add(req);
      tunnelSockets.handleUpgrade(req, socket, head, (ws) => {
        const session = tunnelSpdyOverWebSocket(ws, acceptPortForwardStream);
        servePortForward(session, pod, { now });
      });
      return;
    }
    const url = new URL(req.url ?? '/', 'https://kubesim.local');
    const ports = parseQueryPorts(url.searchParams.getAll('ports'));
    if (typeof ports === 'string') {
      rejectText(socket, 400, ports);
      return;
    }
    channelSockets.handleUpgrade(req, socket, head, (ws) => serveChannels(ws, pod, ports, now));
    return;
  }
  if (!isSpdyUpgrade(req)) {
    rejectText(socket, 400, 'unable to upgrade: missing upgrade headers in request');
    return;
  }
  const client = clientStreamProtocols(req);
  if (client.length === 0) {
    rejectText(socket, 400, 'unable to upgrade: X-Stream-Protocol-Version is required');
    return;
  }
  if (!negotiateStreamProtocol(client, [PORT_FORWARD_PROTOCOL])) {
    refuseNegotiation(socket, client);
    return;
  }
  const session = upgradeSocketToSpdy(socket, head, PORT_FORWARD_PROTOCOL, acceptPortForwardStream);
  servePortForward(session, pod, { now });
}

/** The kubelet's NewV4Options: `ports` query values, comma-separated, 1..65535. */
function parseQueryPorts(values: string[]): number[] | string {
  if (values.length === 0) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const v of values) {
    if (!v) return 'query parameter "port" cannot be empty';
    for (const p of v.split(',')) {
      const n = Number(p);
      if (!/^\d+$/.test(p) || n > 65535) return `unable to parse "${v}" as a port: invalid syntax`;
      if (n < 1) return `port "${v}" must be > 0`;
      ports.push(n);
    }
  }
  return ports;
}

/** Channel protocol: per port a data channel 2i and an error channel 2i+1, each opened
 * with the port as 2 little-endian bytes; v4.base64 carries base64 text after the digit. */
function serveChannels(ws: WebSocket, pod: KubeObject, ports: number[], now: () => Date): void {
  const base64 = ws.protocol.includes('base64');
  const send = (channel: number, data: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    if (base64) ws.send(`${String.fromCharCode(48 + channel)}${data.toString('base64')}`);
    else ws.send(Buffer.concat([Buffer.from([channel]), data]));
  };
  const portBytes = (p: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(p);
    return b;
  };
  const dataStreams = ports.map((port, i) => {
    send(2 * i, portBytes(port));
    send(2 * i + 1, portBytes(port));
    return new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        send(2 * i, chunk);
        cb();
      },
    });
  });
  let remaining = ports.length;
  ports.forEach((port, i) => {
    const data = dataStreams[i] as Duplex;
    forwardPort(pod, port, data, { write: (msg) => send(2 * i + 1, Buffer.from(msg)) }, now, () => {
      remaining -= 1;
      if (remaining === 0 && ws.readyState === ws.OPEN) ws.close(1000);
    });
  });
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const text = isBinary ? undefined : raw.toString('utf8');
    const channel = text !== undefined ? text.charCodeAt(0) - 48 : raw[0];
    const payload = text !== undefined ? Buffer.from(text.slice(1), 'base64') : raw.subarray(1);
    if (channel === undefined || channel % 2 !== 0) return;
    dataStreams[channel / 2]?.push(payload);
  });
  ws.on('close', () => {
    for (const d of dataStreams) d.push(null);
  });
}
