/**
 * Builds the per-request GraphQL context. Errors are turned into GraphQL errors here, because
 * Apollo answers a failed context function without running the request's plugins: a bad token
 * becomes UNAUTHENTICATED with HTTP 401, anything unexpected is logged and masked.
 */
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Identity } from '../../domain/identity.js';
import type { Logger } from '../../domain/logger.js';
import { isPaddockError } from '../../errors/index.js';
import type { GraphQLContext, GraphQLPorts, ResponseCookie } from '../../resolvers/context.js';
import { toGraphQLError } from '../../resolvers/error-codes.js';
import { createLoaders } from '../../resolvers/loaders.js';
import { authenticateCaller } from './authenticate-caller.js';
import { sessionTokenOf } from './session-cookie.js';

export interface ContextSource {
  readonly req: IncomingMessage;
  readonly requestId: string;
  readonly logger: Logger;
  readonly ports: GraphQLPorts;
  readonly now: () => number;
  /** Collects cookies to set; absent where no HTTP response follows (WebSocket). */
  readonly setCookie?: (cookie: ResponseCookie) => void;
  /** Already authenticated (WebSocket connections authenticate once, at connect). */
  readonly identity?: Identity;
}

export async function createGraphQLContext(source: ContextSource): Promise<GraphQLContext> {
  const { req, requestId, logger, ports } = source;
  const remoteAddress = req.socket.remoteAddress;
  let identity: Identity | undefined;
  try {
    identity =
      source.identity ??
      (await authenticateCaller(ports.authenticator, req.headers, remoteAddress));
  } catch (err) {
    throw contextError(err, requestId, logger);
  }
  const sessionToken = identity?.tokenKind === 'session' ? sessionTokenOf(req.headers) : undefined;
  const userAgent = req.headers['user-agent'];
  return {
    identity,
    requestId,
    logger: identity ? logger.child({ userId: identity.userId }) : logger,
    loaders: createLoaders(ports, identity),
    ports,
    now: source.now,
    request: {
      secure: req.socket instanceof TLSSocket,
      ...(remoteAddress === undefined ? {} : { remoteAddress }),
      ...(userAgent === undefined ? {} : { userAgent }),
      ...(sessionToken === undefined ? {} : { sessionToken }),
      ...(source.setCookie === undefined ? {} : { setCookie: source.setCookie }),
    },
  };
}

function contextError(err: unknown, requestId: string, logger: Logger): GraphQLError {
  if (isPaddockError(err) && err.code !== 'INTERNAL') {
    logger.debug({ code: err.code, reason: err.reason }, 'GraphQL authentication failed');
    const base = toGraphQLError(err, { withHttpStatus: true });
    const retryAfter = err.details?.retryAfterSeconds;
    const http =
      typeof retryAfter === 'number'
        ? {
            http: {
              ...(base.extensions.http as object),
              headers: new HeaderMap([['retry-after', String(Math.max(1, Math.ceil(retryAfter)))]]),
            },
          }
        : {};
    return new GraphQLError(base.message, {
      originalError: err,
      extensions: { ...base.extensions, ...http, requestId },
    });
  }
  logger.error({ err }, 'GraphQL context creation failed');
  return new GraphQLError(`internal error; quote request id ${requestId} when reporting it`, {
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 500 } },
  });
}
