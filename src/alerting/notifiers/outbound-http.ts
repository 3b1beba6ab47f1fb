/**
 * The one way alerting and logging reach a user-given URL (webhooks, chat robots, PagerDuty,
 * Alertmanager, HTTP log targets). Keeping every outbound call here leaves a single place for
 * an outbound allow/deny policy. Uses node:http(s) so a custom CA can be given per target.
 */
import http from 'node:http';
import https from 'node:https';
import {
  ALLOW_ALL_OUTBOUND,
  type OutboundAnswer,
  type OutboundDialPolicy,
  type OutboundRequest,
} from '../../domain/outbound-http.js';
import { PaddockError } from '../../errors/index.js';

export type { OutboundAnswer, OutboundRequest } from '../../domain/outbound-http.js';

let policy: OutboundDialPolicy = ALLOW_ALL_OUTBOUND;

/** Installs the outbound policy (called once by the composition root). */
export function setOutboundPolicy(next: OutboundDialPolicy): void {
  policy = next;
}

/** The policy in force, for the other ways alerting dials (SMTP). */
export function outboundPolicy(): OutboundDialPolicy {
  return policy;
}

/** Sends one request and reads the whole answer (bounded to 64 KiB). */
export async function sendOutbound(req: OutboundRequest): Promise<OutboundAnswer> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new PaddockError('VALIDATION_FAILED', 'the target URL is not a valid URL', {
      reason: 'invalid_url',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PaddockError('VALIDATION_FAILED', 'the target URL must be http or https', {
      reason: 'invalid_url',
    });
  }
  await policy.check(url.hostname.replace(/^\[|\]$/g, ''));
  // Looked up per call (not bound at import) so interceptors such as nock in tests apply.
  const send = url.protocol === 'https:' ? https.request : http.request;
  const timeoutMs = req.timeoutMs ?? 10_000;
  return new Promise<OutboundAnswer>((resolve, reject) => {
    const r = send(
      url,
      {
        method: req.method ?? 'POST',
        headers: {
          'user-agent': 'paddock',
          ...(req.body === undefined ? {} : { 'content-length': Buffer.byteLength(req.body) }),
          ...req.headers,
        },
        ...(req.caPem ? { ca: req.caPem } : {}),
        ...(policy.lookup ? { lookup: policy.lookup } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 65_536) text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
