/**
 * Runs one HTTP request through Apollo on Paddock's own listener: node:http request in,
 * `executeHTTPGraphQLRequest`, node:http response out. No web framework in between.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { GraphQLContext, GraphQLPorts, ResponseCookie } from '../../resolvers/context.js';
import type { HttpHandler } from '../http-route.js';
import { sendJson } from '../send-json.js';
import { createGraphQLContext } from './graphql-context-factory.js';
import { legacyJsonStatus } from './legacy-json-status.js';
import { readBody } from './read-body.js';
import { serializeCookie } from './session-cookie.js';

export interface HttpGraphQLHandlerOptions {
  readonly apollo: ApolloServer<GraphQLContext>;
  readonly ports: GraphQLPorts;
  readonly maxBodyBytes: number;
  readonly now: () => number;
}

export function httpGraphQLHandler(options: HttpGraphQLHandlerOptions): HttpHandler {
  const { apollo, ports, maxBodyBytes, now } = options;
  return async (req, res, ctx) => {
    const method = req.method ?? 'GET';
    let body: unknown;
    if (method === 'POST') {
      const raw = await readBody(req, maxBodyBytes);
      if (isJson(req.headers['content-type'])) {
        try {
          body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
        } catch {
          sendJson(res, 400, {
            errors: [
              {
                message: 'the request body is not valid JSON',
                extensions: { code: 'BAD_REQUEST', requestId: ctx.requestId },
              },
            ],
          });
          return;
        }
      }
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
