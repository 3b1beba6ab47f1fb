import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { PaddockErrorCode } from '../errors/index.js';
import { httpStatusOf, isPaddockError } from '../errors/index.js';
import { hardeningHeaderLines, RELAYED_RESPONSE_HEADERS } from './response-hardening.js';

/** A Kubernetes `Status` failure body, what kubectl knows how to print. */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly code: number;
  /** As kube-apiserver sends with a 429: how long to wait before retrying. */
  readonly details?: { readonly retryAfterSeconds: number };
}

const reasons: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'RequestEntityTooLarge',
  429: 'TooManyRequests',
  500: 'InternalError',
  502: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function kubeStatus(code: number, message: string, retryAfterSeconds?: number): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: reasons[code] ?? 'InternalError',
    code,
    ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }),
  };
}

/** Status code and client-safe message of any thrown value. */
export function statusOfError(
  err: unknown,
  requestId: string,
): { code: number; message: string; retryAfterSeconds?: number } {
  if (isPaddockError(err) && err.code !== 'INTERNAL') {
    const retryAfter = err.details?.retryAfterSeconds;
    return {
      code: httpStatusOf(err.code as PaddockErrorCode),
      message: err.message,
      ...(typeof retryAfter === 'number' ? { retryAfterSeconds: Math.ceil(retryAfter) } : {}),
    };
  }
  return { code: 500, message: `internal error; quote request id ${requestId} when reporting it` };
}

/** Answers with a Status body; if the response already started, cuts it instead. */
export function sendKubeStatus(
  res: ServerResponse,
  code: number,
  message: string,
  retryAfterSeconds?: number,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify(kubeStatus(code, message, retryAfterSeconds));
  if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...RELAYED_RESPONSE_HEADERS,
  });
  res.end(body);
}

/** Writes a Status answer straight onto an upgrade socket and closes it. */
export function endSocketWithStatus(socket: Duplex, code: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(kubeStatus(code, message));
  socket.end(
    `HTTP/1.1 ${code} ${reasons[code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      hardeningHeaderLines() +
      'Connection: close\r\n\r\n' +
      body,
  );
}
