// What listens on a simulated container port: a tiny HTTP/1.1 server (keep-alive, Content-Length
// bodies) answering every request with a short text naming the pod, port and request; bytes
// that do not start like an HTTP request are echoed back instead, so raw TCP clients work too.
// A pod annotated `kubesim.io/app-body` (and optionally `kubesim.io/app-content-type`) answers
// that document instead, e.g. an HTML page reached through services/<name>/proxy.

import type { Duplex } from 'node:stream';
import type { KubeObject } from '../storage/types.js';

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/;
const MAX_HEAD = 64 * 1024;

export const APP_BODY_ANNOTATION = 'kubesim.io/app-body';
export const APP_CONTENT_TYPE_ANNOTATION = 'kubesim.io/app-content-type';

export interface ResponderContext {
  pod: KubeObject;
  port: number;
  now: () => Date;
}

/** The body the simulated app answers with; exported so tests can predict it. */
export function responderBody(ctx: ResponderContext, method: string, path: string): string {
  const custom = ctx.pod.metadata.annotations?.[APP_BODY_ANNOTATION];
  if (custom !== undefined) return custom;
  const ns = ctx.pod.metadata.namespace ?? '';
  const name = ctx.pod.metadata.name ?? '';
  return `kubesim: pod ${ns}/${name} port ${ctx.port} answered ${method} ${path}\n`;
}

/** The Content-Type of the simulated app's answers. */
export function responderContentType(ctx: ResponderContext): string {
  const annotations = ctx.pod.metadata.annotations ?? {};
  if (annotations[APP_CONTENT_TYPE_ANNOTATION]) return annotations[APP_CONTENT_TYPE_ANNOTATION];
  return annotations[APP_BODY_ANNOTATION] !== undefined
    ? 'text/html; charset=utf-8'
    : 'text/plain; charset=utf-8';
}

/** Serves one forwarded connection; calls `done` when the app side closes it. */
export function serveContainerPort(stream: Duplex, ctx: ResponderContext, done: () => void): void {
  let buffered = Buffer.alloc(0);
  let mode: 'unknown' | 'http' | 'echo' = 'unknown';
  let closing = false;
  const finish = () => {
    if (closing) return;
    closing = true;
    stream.end();
    done();
  };

  const respond = (head: string, body: Buffer): boolean => {
    const [requestLine = '', ...headerLines] = head.split('\r\n');
    const m = REQUEST_LINE.exec(requestLine);
    const method = m?.[1] ?? 'GET';
    const path = m?.[2] ?? '/';
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
    const http10 = requestLine.endsWith('HTTP/1.0');
    const conn = (headers.get('connection') ?? '').toLowerCase();
    const close = conn === 'close' || (http10 && conn !== 'keep-alive');
    const text = method === 'HEAD' ? '' : responderBody(ctx, method, path);
    const payload = Buffer.from(text);
    const length =
      method === 'HEAD' ? Buffer.byteLength(responderBody(ctx, method, path)) : payload.length;
    const lines = [
      `HTTP/1.1 200 OK`,
      'Server: kubesim',
      `Date: ${ctx.now().toUTCString()}`,
      `Content-Type: ${responderContentType(ctx)}`,
      `Content-Length: ${length}`,
      ...(body.length > 0 ? [`X-Request-Body-Bytes: ${body.length}`] : []),
      ...(close ? ['Connection: close'] : []),
    ];
    stream.write(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), payload]));
    return close;
  };

  const drainHttp = () => {
    while (!closing) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD) finish();
        return;
      }
      const head = buffered.subarray(0, end).toString('latin1');
      const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const bodyLength = lengthMatch ? Number(lengthMatch[1]) : 0;
      if (buffered.length < end + 4 + bodyLength) return;
      const body = buffered.subarray(end + 4, end + 4 + bodyLength);
      buffered = buffered.subarray(end + 4 + bodyLength);
      if (respond(head, body)) finish();
    }
  };

  stream.on('data', (chunk: Buffer) => {
    if (closing) return;
    if (mode === 'echo') {
      stream.write(chunk);
      return;
    }
    buffered = Buffer.concat([buffered, chunk]);
    if (mode === 'unknown') {
      const lineEnd = buffered.indexOf('\r\n');
      const probe = buffered
        .subarray(0, lineEnd < 0 ? buffered.length : lineEnd)
        .toString('latin1');
      if (lineEnd >= 0) mode = REQUEST_LINE.test(probe) ? 'http' : 'echo';
      else if (!/^[A-Z]{0,10}( |$)/.test(probe)) mode = 'echo';
      if (mode === 'echo') {
        stream.write(buffered);
        buffered = Buffer.alloc(0);
        return;
      }
      if (mode === 'unknown') return;
    }
    drainHttp();
  });
  // The client half-closed: like a server seeing EOF, finish and close our side.
  stream.on('end', finish);
  stream.on('close', () => {
    if (closing) return;
    closing = true;
    done();
  });
}
