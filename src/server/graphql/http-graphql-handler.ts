/**
 * Runs one HTTP request through Apollo on Paddock's own listener: node:http request in,
 * `executeHTTPGraphQLRequest`, node:http response out. No web framework in between.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { isPaddockError } from '../../errors/index.js';
import type { GraphQLContext, GraphQLPorts, ResponseCookie } from '../../resolvers/context.js';
import type { HttpHandler, RequestContext } from '../http-route.js';
import { sendJson } from '../send-json.js';
import { createGraphQLContext } from './graphql-context-factory.js';
import { assertDocumentDepth, assertJsonDepth } from './json-depth.js';
import { legacyJsonStatus } from './legacy-json-status.js';
import { readBody } from './read-body.js';
import { serializeCookie } from './session-cookie.js';

export interface HttpGraphQLHandlerOptions {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly ports: GraphQLPorts;
  readonly maxBodyBytes: number;
  /** Deepest nesting of arrays/objects accepted in the body or GET variables. */
  readonly maxJsonDepth: number;
  readonly now: () => number;
}

export function httpGraphQLHandler(options: HttpGraphQLHandlerOptions): HttpHandler {
  const { apollo, ports, maxBodyBytes, maxJsonDepth, now } = options;
  return async (req, res, ctx) => {
    const method = req.method ?? 'GET';
    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(req, maxBodyBytes);
      if (isJson(req.headers['content-type'])) {
        try {
          body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
        } catch {
          sendRequestError(res, ctx, 'the request body is not valid JSON');
          return;
        }
      }
    }
    try {
      assertJsonDepth(body, maxJsonDepth, 'the request body');
      const params = new URLSearchParams(searchOf(req.url));
      for (const [name, value] of jsonParams(params)) {
        assertJsonDepth(value, maxJsonDepth, `the ${name} parameter`);
      }
      const query = isRecord(body) ? body.query : params.get('query');
      assertDocumentDepth(query, maxJsonDepth);
    } catch (err) {
      if (!isPaddockError(err)) throw err;
      sendRequestError(res, ctx, err.message, err.reason);
      return;
    }
    const cookies: ResponseCookie[] = [];
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: method.toUpperCase(),
        headers: headerMapOf(req),
        search: searchOf(req.url),
        body,
      },
      context: () =>
        createGraphQLContext({
          req,
          requestId: ctx.requestId,
          logger: ctx.log,
          ports,
          now,
          setCookie: (cookie) => cookies.push(cookie),
        }),
    });
    const secure = 'encrypted' in req.socket && req.socket.encrypted === true;
    await writeResponse(
      res,
      response,
      cookies.map((c) => serializeCookie(c, secure)),
    );
  };
}

/** A request-level failure in the shape GraphQL clients read (`errors[].extensions.code`). */
function sendRequestError(
  res: ServerResponse,
  ctx: RequestContext,
  message: string,
  reason?: string,
): void {
  sendJson(res, 400, {
    errors: [
      {
        message,
        extensions: {
          code: 'BAD_REQUEST',
          ...(reason === undefined ? {} : { reason }),
          requestId: ctx.requestId,
        },
      },
    ],
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GET's `variables` and `extensions` parameters that parse as JSON (Apollo reports the rest). */
function jsonParams(params: URLSearchParams): [string, unknown][] {
  const parsed: [string, unknown][] = [];
  for (const name of ['variables', 'extensions']) {
    const text = params.get(name);
    if (text === null) continue;
    try {
      parsed.push([name, JSON.parse(text)]);
    } catch {
      // Not JSON: Apollo answers that with its own 400.
    }
  }
  return parsed;
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json');
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function searchOf(url: string | undefined): string {
  const q = (url ?? '').indexOf('?');
  return q === -1 ? '' : (url ?? '').slice(q + 1);
}

async function writeResponse(
  res: ServerResponse,
  response: HTTPGraphQLResponse,
  setCookies: string[],
): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (!response.headers.has('cache-control')) res.setHeader('cache-control', 'no-store');
  if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);
  res.statusCode = legacyJsonStatus(response);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
