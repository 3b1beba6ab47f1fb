/** Writes bytes to a TCP or TLS endpoint (and reads an answer if asked), with a deadline. */
import net from 'node:net';
import tls from 'node:tls';
import type { OutboundDialPolicy } from '../../domain/outbound-http.js';

export interface SocketTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly caPem?: string;
  readonly timeoutMs: number;
  readonly policy: OutboundDialPolicy;
}

/** Opens a connection the outbound policy allows; resolves once connected (and TLS-verified). */
export async function connect(target: SocketTarget): Promise<net.Socket> {
  await target.policy.check(target.host);
  const lookup = target.policy.lookup ? { lookup: target.policy.lookup } : {};
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({
          host: target.host,
          port: target.port,
          servername: net.isIP(target.host) ? undefined : target.host,
          ...(target.caPem ? { ca: target.caPem } : {}),
          ...lookup,
        })
      : net.connect({ host: target.host, port: target.port, ...lookup });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(`no connection to ${target.host}:${target.port} within ${target.timeoutMs} ms`),
      );
    }, target.timeoutMs);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Collects incoming bytes until `done(buffer)` says how many make a whole answer. */
export function readUntil(
  socket: net.Socket,
  done: (buffer: Buffer) => boolean,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', finish);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(buffer);
    };
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (done(buffer)) finish();
    };
    const onClose = () => finish(new Error('the connection closed before an answer'));
    const timer = setTimeout(
      () => finish(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('data', onData);
    socket.once('error', finish);
    socket.once('close', onClose);
  });
}

export function write(socket: net.Socket, data: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) =>
    socket.write(data, (err) => (err ? reject(err) : resolve())),
  );
}
