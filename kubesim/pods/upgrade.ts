// WebSocket upgrades for pods/exec and pods/attach, speaking the channel protocols
// (v5.channel.k8s.io with its close signal, v4.channel.k8s.io): byte 0 of each binary message
// is the stream (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize, 255 close).

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  pathNotFound,
  type StatusError,
} from '../api/status.js';
import { authenticateAndAuthorize } from '../server/pipeline.js';
import type { SimCluster } from '../server/sim-cluster.js';
import { asObject, type KubeObject } from '../storage/types.js';
import { logLine, resolveContainer } from './logs.js';
import { CommandNotFound, runCommand, type ShellIO } from './shell.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const wss = new WebSocketServer({
  noServer: true,
  handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
});

function reject(
  socket: Socket,
  code: number,
  body: string,
  contentType = 'application/json',
): void {
  const reason =
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      405: 'Method Not Allowed',
    }[code] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function rejectStatus(socket: Socket, err: StatusError): void {
  reject(socket, err.code, `${JSON.stringify(err.status)}\n`);
}

function exitStatus(argv: string[], code: number): object {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

function runtimeFailure(message: string): object {
  const full = `error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${message}: unknown`;
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${full}`,
    reason: 'InternalError',
    details: { causes: [{ message: full }] },
    code: 500,
  };
}

interface Session {
  io: ShellIO;
  finish(status: object): void;
}

function openSession(ws: WebSocket, protocol: string, tty: boolean, onClose: () => void): Session {
  const queue: string[] = [];
  let eof = false;
  let waiting: ((v: string | undefined) => void) | undefined;
  const deliver = () => {
    if (!waiting) return;
    if (queue.length > 0) {
      const w = waiting;
      waiting = undefined;
      w(queue.shift());
    } else if (eof) {
      const w = waiting;
      waiting = undefined;
      w(undefined);
    }
  };
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const buf = isBinary ? data : Buffer.from(data);
    if (buf.length === 0) return;
    const channel = buf[0];
    if (channel === 0) {
      if (buf.length > 1) queue.push(buf.subarray(1).toString('utf8'));
    } else if (channel === 255 && protocol.startsWith('v5') && buf[1] === 0) {
      eof = true;
    }
    deliver();
  });
  ws.on('close', () => {
    eof = true;
    deliver();
    onClose();
  });
  const send = (channel: number, text: string) => {
    if (ws.readyState === ws.OPEN && text.length > 0)
      ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
  };
  return {
    io: {
      out: (t) => send(1, t),
      err: (t) => send(tty ? 1 : 2, t),
      read: () =>
        new Promise((resolve) => {
          waiting = resolve;
          deliver();
        }),
      tty,
    },
    finish: (status) => {
      send(3, JSON.stringify(status));
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  };
}

export async function handleUpgrade(
  cluster: SimCluster,
  req: IncomingMessage,
  socket: Socket,
  head: Buffer,
): Promise<void> {
  try {
    if (cluster.faults.hang) return;
    const injected = cluster.faults.injectedError();
    if (injected) return rejectStatus(socket, injected);
    const auth = authenticateAndAuthorize(cluster, req);
    if (!auth.ok) {
      if ('error' in auth) return rejectStatus(socket, auth.error);
      return reject(socket, auth.text.code, `${auth.text.text}\n`, 'text/plain; charset=utf-8');
    }
    const { info, url } = auth;
    if (!info.isResourceRequest || info.resource !== 'pods' || info.apiGroup !== '')
      throw pathNotFound();
    if (!['exec', 'attach'].includes(info.subresource)) {
      if (info.subresource === 'portforward')
        throw badRequest('port forwarding over WebSocket is not supported by kubesim');
      throw pathNotFound();
    }
    if (info.verb !== 'get' && info.verb !== 'create') throw methodNotAllowed();
    const pod = cluster.store.get('pods', info.namespace, info.name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, info.name);
    const container = resolveContainer(pod, url.searchParams.get('container') ?? '');
    if (asObject(pod.status).phase !== 'Running') {
      throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    }
    const argv = url.searchParams.getAll('command');
    if (info.subresource === 'exec' && argv.length === 0)
      throw badRequest('you must specify at least 1 command');
    const tty = url.searchParams.get('tty') === 'true';
    wss.handleUpgrade(req, socket, head, (ws) => {
      void serve(cluster, ws, pod, container, info.subresource, argv, tty);
    });
  } catch (err) {
    if (err && typeof err === 'object' && 'status' in err)
      return rejectStatus(socket, err as StatusError);
    reject(socket, 500, JSON.stringify({ message: String(err) }));
  }
}

async function serve(
  cluster: SimCluster,
  ws: WebSocket,
  pod: KubeObject,
  container: string,
  mode: string,
  argv: string[],
  tty: boolean,
): Promise<void> {
  let closed = false;
  const session = openSession(ws, ws.protocol, tty, () => {
    closed = true;
  });
  const ctx = { pod, container, now: () => cluster.now() };
  if (mode === 'attach') {
    if (tty) {
      const code = await runCommand(['sh'], ctx, session.io);
      session.finish(exitStatus(['sh'], code));
      return;
    }
    let seq = 0;
    const name = pod.metadata.name ?? '';
    while (!closed) {
      session.io.out(`${logLine(name, container, seq++)}\n`);
      await new Promise((r) => setTimeout(r, cluster.timings.logLineMs));
    }
    return;
  }
  try {
    const code = await runCommand(argv, ctx, session.io);
    session.finish(exitStatus(argv, code));
  } catch (e) {
    if (e instanceof CommandNotFound) session.finish(runtimeFailure(e.message));
    else session.finish(runtimeFailure(String(e)));
  }
}
