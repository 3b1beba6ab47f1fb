import type { ServerResponse } from 'node:http';
import { httpStatusOf, isPaddockError } from '../errors/index.js';
import type { RequestContext } from './http-route.js';

/** Writes a JSON body with the right headers; a no-op if the response already started. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Turns any thrown value into a JSON error. PaddockErrors keep their code and message;
 * anything else is logged in full and shown only as an internal error with the request id.
 */
export function sendError(res: ServerResponse, err: unknown, ctx: RequestContext): void {
  if (isPaddockError(err) && err.code !== 'INTERNAL') {
    const status = httpStatusOf(err.code);
    if (status >= 500) ctx.log.warn({ err }, err.message);
    const retryAfter = err.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number' && !res.headersSent) {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
    }
    sendJson(res, status, {
      error: { code: err.code, reason: err.reason, message: err.message, requestId: ctx.requestId },
    });
    return;
  }
  ctx.log.error({ err }, 'internal error');
  sendJson(res, 500, {
    error: {
      code: 'INTERNAL',
      message: `internal error; quote request id ${ctx.requestId} when reporting it`,
      requestId: ctx.requestId,
    },
  });
}
