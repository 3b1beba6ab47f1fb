// HTTP plumbing shared by handlers: Accept negotiation, bodies, and Status replies.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, internalError, type StatusBody, StatusError } from '../api/status.js';
import { decodeEnvelope, isProtobuf } from '../protobuf/decode.js';

export type ResponseForm =
  | { as: 'object' }
  | { as: 'table'; version: 'v1' | 'v1beta1' }
  | { as: 'partial'; version: 'v1' | 'v1beta1' }
  | { as: 'discovery'; version: 'v2' | 'v2beta1' }
  | { as: 'yaml' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [{ type: '*/*', params: {} }];
  return accept.split(',').map((part) => {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rest) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

/** Picks the first Accept entry kubesim can produce, in the client's order. */
export function negotiate(
  accept: string | undefined,
  kind: 'resource' | 'discovery',
): ResponseForm | undefined {
  for (const m of parseAccept(accept)) {
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (m.type === 'application/yaml' && !m.params.as) return { as: 'yaml' };
    if (!jsonish) continue;
    const as = m.params.as;
    if (!as) return { as: 'object' };
    if (kind === 'resource' && as === 'Table' && m.params.g === 'meta.k8s.io') {
      if (m.params.v === 'v1' || m.params.v === 'v1beta1')
        return { as: 'table', version: m.params.v };
    }
    if (
      kind === 'resource' &&
      (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') &&
      m.params.g === 'meta.k8s.io'
    ) {
      if (m.params.v === 'v1' || m.params.v === 'v1beta1')
        return { as: 'partial', version: m.params.v };
    }
    if (
      kind === 'discovery' &&
      as === 'APIGroupDiscoveryList' &&
      m.params.g === 'apidiscovery.k8s.io'
    ) {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1')
        return { as: 'discovery', version: m.params.v };
    }
  }
  return undefined;
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  // encoding/json's Encoder ends every document with a newline; so does the apiserver.
  const text = `${typeof body === 'string' ? body : JSON.stringify(body)}\n`;
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, err: unknown): void {
  const se = err instanceof StatusError ? err : internalError(errorText(err));
  const body: StatusBody = se.status;
  sendJson(res, body.code, body, 'application/json', se.headers);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Plain-text failure, as http.Error in Go writes it. */
export function sendText(res: ServerResponse, code: number, text: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache, private',
  });
  res.end(`${text}\n`);
}

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) {
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server has received a request that is too large',
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Decodes a JSON or YAML request body into an object. */
export function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  if (isProtobuf(contentType)) return decodeEnvelope(raw);
  const text = raw.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  const ct = (contentType ?? '').toLowerCase();
  try {
    if (ct.includes('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (e) {
    if (!ct.includes('json')) {
      try {
        return parseYaml(text);
      } catch {
        // fall through to the JSON error
      }
    }
    throw badRequest(`Object 'Kind' is missing in '${text.slice(0, 200)}': ${errorText(e)}`);
  }
}
