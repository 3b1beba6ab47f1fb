// pods/portforward over SPDY (portforward.k8s.io), as the kubelet's httpstream handler does it:
// the client opens an error stream and a data stream per forwarded connection, both carrying
// `port` and `requestID` headers; once both arrived the data stream is connected to the
// container port. Failures are written as text to the error stream. A port is open when a
// container declares it, or when no container declares any port (the image listens anywhere).

import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { SpdySession, SpdyStream, StreamAcceptor } from '../spdy/session.js';
import { asArray, asNumber, asObject, type KubeObject } from '../storage/types.js';
import { serveContainerPort } from './port-responder.js';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

let sessions = 0;

interface Pair {
  data?: SpdyStream;
  error?: SpdyStream;
  timer: NodeJS.Timeout;
}

export function declaredPorts(pod: KubeObject): number[] {
  return asArray(asObject(pod.spec).containers).flatMap((c) =>
    asArray(c.ports).map((p) => asNumber(p.containerPort)),
  );
}

export function isPortOpen(pod: KubeObject, port: number): boolean {
  const ports = declaredPorts(pod);
  return ports.length === 0 || ports.includes(port);
}

function sandboxId(pod: KubeObject): string {
  return createHash('sha256')
    .update(`sandbox/${pod.metadata.uid ?? pod.metadata.name ?? ''}`)
    .digest('hex');
}

/** containerd's refusal, wrapped by the kubelet as it reaches kubectl. */
function refusedMessage(pod: KubeObject, port: number): string {
  const id = sandboxId(pod);
  const h = createHash('sha256').update(id).digest('hex');
  const netns = `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return (
    `error forwarding port ${port} to pod ${id}, uid : failed to execute portforward in network namespace "${netns}": ` +
    `failed to connect to localhost:${port} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused ` +
    `IPv6 dial tcp6 [::1]:${port}: connect: connection refused `
  );
}

/** Validates a new stream's headers like the kubelet's httpStreamReceived. */
export const acceptPortForwardStream: StreamAcceptor = (stream) => {
  const portString = stream.header('port');
  if (!portString) return '"port" header is required';
  const port = Number(portString);
  if (!/^\d+$/.test(portString) || port > 65535)
    return `unable to parse "${portString}" as a port: invalid syntax`;
  if (port < 1) return `port "${portString}" must be > 0`;
  const type = stream.header('streamType');
  if (!type) return '"streamType" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type "${type}"`;
  return undefined;
};

/** Runs port forwarding for one pod on an established SPDY session. */
export function servePortForward(
  session: SpdySession,
  pod: KubeObject,
  opts: { now: () => Date; streamCreationTimeoutMs?: number },
): void {
  const pairs = new Map<string, Pair>();
  const connLabel = `0xc000${(++sessions).toString(16).padStart(6, '0')}`;
  const timeoutMs = opts.streamCreationTimeoutMs ?? 30_000;

  const requestIdOf = (s: SpdyStream): string => {
    const id = s.header('requestID');
    if (id) return id;
    // Clients older than request ids: error and data streams have consecutive odd ids.
    return String(s.header('streamType') === 'error' ? s.id : s.id - 2);
  };

  session.on('stream', (stream: SpdyStream) => {
    const requestId = requestIdOf(stream);
    let pair = pairs.get(requestId);
    if (!pair) {
      const created: Pair = {
        timer: setTimeout(() => {
          pairs.delete(requestId);
          created.error?.end(
            `(conn=${connLabel}, request=${requestId}) timed out waiting for streams`,
          );
        }, timeoutMs),
      };
      created.timer.unref();
      pair = created;
      pairs.set(requestId, pair);
    }
    const type = stream.header('streamType') === 'error' ? 'error' : 'data';
    if (pair[type]) {
      const msg = `error processing stream for request ${requestId}: ${type} stream already assigned`;
      pair.error?.write(msg);
      return;
    }
    pair[type] = stream;
    const { data, error } = pair;
    if (!data || !error) return;
    clearTimeout(pair.timer);
    pairs.delete(requestId);
    forward(pod, data, error, opts.now);
  });
  session.on('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
  });
}

/** Connects one forwarded connection to the container port, or reports the refusal. */
export function forwardPort(
  pod: KubeObject,
  port: number,
  data: Duplex,
  errors: { write(message: string): void },
  now: () => Date,
  done: () => void,
): void {
  if (!isPortOpen(pod, port)) {
    errors.write(refusedMessage(pod, port));
    done();
    return;
  }
  serveContainerPort(data, { pod, port, now }, done);
}

function forward(pod: KubeObject, data: SpdyStream, error: SpdyStream, now: () => Date): void {
  // The client never writes to the error stream; consume its FIN.
  error.resume();
  const closeBoth = () => {
    if (!data.writableEnded && !data.destroyed) data.end();
    if (!error.writableEnded && !error.destroyed) error.end();
  };
  const errors = { write: (m: string) => void (!error.destroyed && error.write(m)) };
  forwardPort(pod, Number(data.header('port')), data, errors, now, closeBoth);
}
