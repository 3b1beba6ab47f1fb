// Answers written straight to a hijacked socket when an upgrade request is refused, as the
// apiserver does before any protocol switch: a Status JSON body, or plain text from the
// kubelet's streaming handlers.

import type { Socket } from 'node:net';
import type { StatusError } from '../api/status.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
};

export function reject(
  socket: Socket,
  code: number,
  body: string,
  contentType = 'application/json',
  extraHeaders: string[] = [],
): void {
  const head = [
    `HTTP/1.1 ${code} ${REASONS[code] ?? 'Error'}`,
    `Content-Type: ${contentType}`,
    ...extraHeaders,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

export function rejectStatus(socket: Socket, err: StatusError): void {
  reject(socket, err.code, `${JSON.stringify(err.status)}\n`);
}

/** Go's http.Error: text/plain, X-Content-Type-Options, a trailing newline. */
export function rejectText(socket: Socket, code: number, text: string, extra: string[] = []): void {
  reject(socket, code, `${text}\n`, 'text/plain; charset=utf-8', [
    'X-Content-Type-Options: nosniff',
    ...extra,
  ]);
}
