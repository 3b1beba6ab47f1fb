import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: string;
  /** The socket, still open for upgrades. */
  readonly socket: Socket;
  /** Bytes received after the header block that were not part of a counted body. */
  readonly rest: Buffer;
}

/**
 * Sends a request exactly as written (header names, casing, repeats and all) and reads one
 * response: the header block plus `Content-Length` bytes of body, or nothing more for a 101.
 */
export function rawRequest(
  port: number,
  lines: readonly string[],
  body = '',
  options: { deadlineMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${options.deadlineMs ?? 5000} ms`));
    }, options.deadlineMs ?? 5000);
    const tryParse = (ended: boolean) => {
      const end = buffer.indexOf('\r\n\r\n');
      if (end === -1) {
        if (ended) fail(new Error(`connection closed before headers: ${buffer.toString()}`));
        return;
      }
      const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
      const status = Number(head[0]!.split(' ')[1]);
      const headers = head.slice(1).map((l) => {
        const i = l.indexOf(':');
        return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
      });
      const after = buffer.subarray(end + 4);
      const length = headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
      if (status === 101) return done(status, headers, '', after);
      if (length !== undefined) {
        if (after.length < Number(length)) return ended ? fail(new Error('short body')) : undefined;
        return done(
          status,
          headers,
          after.subarray(0, Number(length)).toString(),
          after.subarray(Number(length)),
        );
      }
      if (ended) done(status, headers, after.toString(), Buffer.alloc(0));
    };
    const done = (status: number, headers: [string, string][], body: string, rest: Buffer) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.removeAllListeners('end');
      resolve({ status, headers, body, socket, rest });
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      tryParse(false);
    });
    socket.on('end', () => tryParse(true));
    socket.on('error', fail);
    const bodyLines = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
    socket.write(`${[...lines, ...bodyLines].join('\r\n')}\r\n\r\n${body}`);
  });
}

/** Resolves when the socket closes, rejects after the deadline. */
export function closedWithin(socket: Socket, ms: number): Promise<void> {
  if (socket.destroyed || socket.readyState === 'closed') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
  });
}
