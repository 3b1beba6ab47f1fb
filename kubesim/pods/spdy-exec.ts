// exec/attach over SPDY (kubectl's fallback when the WebSocket upgrade is refused, or with
// KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false), following the kubelet's remotecommand handler:
// negotiate v4/v3/v2/v1 channel protocols, wait for the error, stdin, stdout, stderr and
// resize streams the request asked for, run, then report the exit status on the error
// stream (a JSON Status in v4, the message text of a failure before).

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { SimCluster } from '../server/sim-cluster.js';
import type { SpdyStream } from '../spdy/session.js';
import {
  clientStreamProtocols,
  negotiateStreamProtocol,
  upgradeSocketToSpdy,
} from '../spdy/transports.js';
import { type ExecRequest, type ExitStatus, runExecSession, StdinQueue } from './exec-session.js';
import { rejectText } from './upgrade-responses.js';

const SERVER_PROTOCOLS = [
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
];
const STREAM_CREATION_TIMEOUT_MS = 30_000;
const CLIENT_CLOSE_GRACE_MS = 10_000;

export interface StreamFlags {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function upgradeSpdyExec(
  cluster: SimCluster,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
  r: ExecRequest,
  flags: StreamFlags,
): void {
  const client = clientStreamProtocols(req);
  let protocol = '';
  if (client.length > 0) {
    protocol = negotiateStreamProtocol(client, SERVER_PROTOCOLS);
    if (!protocol) {
      rejectText(
        socket,
        403,
        `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${SERVER_PROTOCOLS.join(' ')}]`,
        SERVER_PROTOCOLS.map((p) => `X-Accepted-Stream-Protocol-Versions: ${p}`),
      );
      return;
    }
  }
  const version = protocol === '' || protocol === 'channel.k8s.io' ? 1 : Number(protocol[1]);
  const stderr = flags.stderr && !flags.tty;
  const expected =
    1 +
    Number(flags.stdin) +
    Number(flags.stdout) +
    Number(stderr) +
    Number(flags.tty && version >= 3);

  const streams = new Map<string, SpdyStream>();
  const session = upgradeSocketToSpdy(socket, head, protocol, () => undefined);
  const giveUp = setTimeout(() => socket.destroy(), STREAM_CREATION_TIMEOUT_MS);
  giveUp.unref();
  session.on('stream', (stream: SpdyStream) => {
    const type = stream.header('streamType');
    if (!['error', 'stdin', 'stdout', 'stderr', 'resize'].includes(type)) return;
    streams.set(type, stream);
    if (streams.size < expected) return;
    clearTimeout(giveUp);
    void run(cluster, socket, streams, r, version, () => session.isClosed);
  });
}

async function run(
  cluster: SimCluster,
  socket: Socket,
  streams: Map<string, SpdyStream>,
  r: ExecRequest,
  version: number,
  sessionClosed: () => boolean,
): Promise<void> {
  const stdin = new StdinQueue();
  const input = streams.get('stdin');
  if (input && version > 1) {
    input.on('data', (chunk: Buffer) => stdin.push(chunk.toString('utf8')));
    input.on('end', () => stdin.end());
    input.on('close', () => stdin.end());
  } else {
    input?.resume();
    stdin.end();
  }
  streams.get('resize')?.resume();
  streams.get('error')?.resume();
  const write = (name: string, text: string) => {
    const s = streams.get(name);
    if (s && !s.writableEnded && !s.destroyed && text.length > 0) s.write(text);
  };
  let finished = false;
  const finish = (status: ExitStatus) => {
    if (finished) return;
    finished = true;
    for (const name of ['stdout', 'stderr']) streams.get(name)?.end();
    const errorStream = streams.get('error');
    if (errorStream && !errorStream.destroyed) {
      if (version >= 4) errorStream.end(JSON.stringify(status));
      else errorStream.end(status.status === 'Success' ? '' : (status.message ?? ''));
    }
    // The client closes the connection once it has read everything; do it ourselves if not.
    setTimeout(() => socket.destroy(), CLIENT_CLOSE_GRACE_MS).unref();
  };
  await runExecSession(
    cluster,
    {
      io: {
        out: (t) => write('stdout', t),
        err: (t) => write(r.tty ? 'stdout' : 'stderr', t),
        read: () => stdin.read(),
        tty: r.tty,
      },
      finish,
      isClosed: () => sessionClosed() || finished,
    },
    r,
  );
}
