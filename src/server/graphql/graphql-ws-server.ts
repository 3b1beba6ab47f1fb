/**
 * GraphQL over WebSocket (graphql-ws protocol) on the same path as HTTP. A connection
 * authenticates at `connection_init` (a token in `connectionParams.authorization`, else the
 * handshake's Authorization header or session cookie); anonymous connections are refused.
 * The credential is asked about again before every operation (through the authenticator's
 * cache) and, while the socket is open, by the open-stream tracker on revocation events and
 * periodically: once it stops working the socket closes with 4403 and its subscriptions end.
 * Every operation passes the same parse, validation, introspection and cost rules as HTTP.
 */
import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import {
  type DocumentNode,
  type ExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { CloseCode, type Disposable } from 'graphql-ws';
import { useServer as attachGraphQLWs, type Extra } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { narrowedAccess, type OpenStreamTracker } from '../../domain/credential-events.js';
import type { AuthRequest, Identity } from '../../domain/identity.js';
import { hasErrorCode, isPaddockError } from '../../errors/index.js';
import type { GraphQLPorts } from '../../resolvers/context.js';
import { toGraphQLError } from '../../resolvers/error-codes.js';
import { costLimitError } from '../../resolvers/plugins/cost-limit.js';
import { introspectionRules } from '../../resolvers/plugins/introspection.js';
import { formatError, INTERNAL_CODE, stampRequestId } from '../../resolvers/plugins/mask-errors.js';
import { auditWebSocketResult } from '../../resolvers/plugins/mutation-audit.js';
import { passwordChangeError } from '../../resolvers/plugins/password-change-gate.js';
import type { RequestContext, UpgradeHandler } from '../http-route.js';
import { authenticateCaller } from './authenticate-caller.js';
import { createGraphQLContext } from './graphql-context-factory.js';
import { documentNestingDepth, exceedsJsonDepth } from './json-depth.js';
import type { OperationRules } from './operation-rules.js';
import { isAllowedOrigin } from './websocket-origin.js';

export interface GraphQLWsOptions {
  readonly schema: GraphQLSchema;
  readonly rules: OperationRules;
  readonly introspection: boolean;
  readonly ports: GraphQLPorts;
  readonly maxPayloadBytes: number;
  readonly allowedOrigins: readonly string[];
  /** Closes a connection whose credential stops working (revocation events, re-checks). */
  readonly openStreams: OpenStreamTracker;
  readonly now: () => number;
  /** Ping interval; graphql-ws closes a connection that stops answering. Default 12 s. */
  readonly keepAliveMs?: number;
}

export interface GraphQLWsServer {
  readonly upgrade: UpgradeHandler;
  close(): Promise<void>;
}

interface Connection {
  readonly request: RequestContext;
  identity?: Identity;
  /** The credential headers `identity` came from, asked about again before each operation. */
  credentials?: AuthRequest;
}

/** A client that ignores the close frame must not keep its subscriptions running. */
const CLOSE_GRACE_MS = 1_000;

export function createGraphQLWsServer(options: GraphQLWsOptions): GraphQLWsServer {
  const { schema, rules, ports, now } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  const validationRules = [
    ...specifiedRules,
    ...rules.validationRules,
    ...introspectionRules(options.introspection),
  ];
  const connectionOf = (extra: Extra): Connection => {
    const found = connections.get(extra.socket);
    if (found === undefined) throw new Error('WebSocket connection without upgrade context');
    return found;
  };
  const requestIdOf = (extra: Extra, id: string) =>
    `${connectionOf(extra).request.requestId}:${id}`;

  const server: Disposable = attachGraphQLWs(
    {
      schema,
      async onConnect(ctx) {
        const connection = connectionOf(ctx.extra);
        const token = ctx.connectionParams?.authorization;
        const { headers: handshake, socket } = ctx.extra.request;
        // Only the credential headers are kept, to ask again for the socket's whole life.
        const headers =
          typeof token === 'string'
            ? { authorization: token }
            : { authorization: handshake.authorization, cookie: handshake.cookie };
        try {
          const identity = await authenticateCaller(
            ports.authenticator,
            headers,
            socket.remoteAddress,
          );
          if (identity === undefined) return false;
          connection.identity = identity;
          connection.credentials = {
            headers,
            ...(socket.remoteAddress === undefined ? {} : { remoteAddress: socket.remoteAddress }),
          };
          const ws = ctx.extra.socket;
          // Gone while it was being authenticated: there is nothing left to track.
          if (ws.readyState === ws.CLOSED) return false;
          const untrack = options.openStreams.add(
            identity,
            connection.credentials,
            (reason, why) => (why === 'shutdown' ? closeGoingAway(ws) : closeForbidden(ws, reason)),
          );
          ws.once('close', untrack);
          return true;
        } catch (err) {
          connection.request.log.debug({ err }, 'GraphQL WebSocket authentication failed');
          return false;
        }
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connectionOf(ctx.extra);
        const checked = await recheck(connection);
        if (checked.refusal !== undefined) {
          connection.request.log.info(
            { userId: connection.identity?.userId, reason: checked.refusal },
            'GraphQL WebSocket closed: its credential stopped working',
          );
          closeForbidden(ctx.extra.socket, checked.refusal);
          return [
            new GraphQLError('the credential of this connection no longer works', {
              extensions: { code: 'UNAUTHENTICATED', reason: 'credential_invalid' },
            }),
          ];
        }
        if (checked.error !== undefined) return [checked.error];
        // The operation runs with what the socket was opened with: never more than that, and
        // (checked just now) never more than the credential gives today.
        const identity = checked.identity;
        const tooDeep = nestingRefusal(payload, rules.limits.maxJsonDepth);
        if (tooDeep) return [tooDeep];
        let document: DocumentNode;
        try {
          document = parse(payload.query, rules.parseOptions);
        } catch (err) {
          return [
            withCode(
              err instanceof GraphQLError ? err : new GraphQLError('cannot parse the query'),
              'GRAPHQL_PARSE_FAILED',
            ),
          ];
        }
        const errors = validate(schema, document, validationRules);
        if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError('cannot determine which operation to run', {
              extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
            }),
          ];
        }
        const gateError = passwordChangeError(identity, schema, document, operation);
        if (gateError) return [gateError];
        const costError = costLimitError(
          {
            schema,
            document,
            operationName: payload.operationName ?? null,
            variables: payload.variables ?? null,
          },
          rules.limits.maxCost,
        );
        if (costError) return [costError];
        const requestId = requestIdOf(ctx.extra, id);
        const contextValue = await createGraphQLContext({
          req: ctx.extra.request,
          requestId,
          logger: connection.request.log.child({ reqId: requestId }),
          ports,
          now,
          identity,
        });
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },
      onError(ctx, id, _payload, errors) {
        const requestId = requestIdOf(ctx.extra, id);
        return errors.map((e) => stampRequestId(formatError(e.toJSON(), e), requestId));
      },
      onNext(ctx, id, _payload, args, result: ExecutionResult) {
        auditWebSocketResult(args, result);
        if (!result.errors) return undefined;
        const requestId = requestIdOf(ctx.extra, id);
        const log = connectionOf(ctx.extra).request.log;
        // Without `data` execution never started: the variables did not coerce.
        const requestError = !('data' in result);
        const errors: GraphQLFormattedError[] = result.errors.map((raw) => {
          const e = requestError ? withCode(raw, 'BAD_USER_INPUT') : raw;
          const formatted = stampRequestId(formatError(e.toJSON(), e), requestId);
          if (formatted.extensions?.code === INTERNAL_CODE) {
            log.error(
              { err: e.originalError ?? e, path: e.path, reqId: requestId },
              'GraphQL internal error',
            );
          }
          return formatted;
        });
        return { ...result, errors };
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  /**
   * The connection's credential, authenticated again: its identity, or why the socket must
   * close (`refusal`), or an error for this operation alone (the store did not answer).
   */
  async function recheck(
    connection: Connection,
  ): Promise<
    | { identity: Identity; refusal?: undefined; error?: undefined }
    | { refusal: string; error?: undefined }
    | { error: GraphQLError; refusal?: undefined }
  > {
    const { identity, credentials } = connection;
    if (identity === undefined || credentials === undefined) return { refusal: 'not signed in' };
    let again: Identity;
    try {
      again = await ports.authenticator.authenticate(credentials);
    } catch (err) {
      if (hasErrorCode(err, 'UNAUTHENTICATED') || hasErrorCode(err, 'FORBIDDEN')) {
        const why = isPaddockError(err) ? err.reason : undefined;
        return { refusal: `credential no longer valid${why === undefined ? '' : ` (${why})`}` };
      }
      // Not a "no" (the store did not answer): this operation fails, the socket stays.
      connection.request.log.warn({ err }, 'GraphQL WebSocket could not re-check its credential');
      return {
        error: isPaddockError(err)
          ? toGraphQLError(err)
          : new GraphQLError('cannot check the credential of this connection', {
              originalError: err instanceof Error ? err : undefined,
            }),
      };
    }
    if (again.expiresAt !== undefined && again.expiresAt <= now()) {
      return { refusal: 'credential expired' };
    }
    const narrowed = narrowedAccess(identity, again);
    if (narrowed !== undefined) return { refusal: narrowed };
    return { identity };
  }

  return {
    upgrade(req: IncomingMessage, socket, head, ctx) {
      const secure = req.socket instanceof TLSSocket;
      if (!isAllowedOrigin(req, secure, options.allowedOrigins)) {
        ctx.log.info(
          { origin: req.headers.origin },
          'GraphQL WebSocket from a foreign origin refused',
        );
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        connections.set(ws, { request: ctx });
        wss.emit('connection', ws, req);
      });
    },
    async close() {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** Ends the socket with graphql-ws's 4403 and a short reason (a close reason has 123 bytes). */
function closeForbidden(socket: WebSocket, reason: string): void {
  if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) return;
  socket.close(CloseCode.Forbidden, `Forbidden: ${reason}`.slice(0, 120));
  // Until the client answers the close frame nothing more is sent, but the subscriptions (and
  // the watches behind them) end only when the socket has closed.
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}

/** 1001 "going away": the server stops; graphql-ws clients reconnect (to another replica). */
function closeGoingAway(socket: WebSocket): void {
  if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) return;
  socket.close(1001, 'server shutting down');
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}

/**
 * The HTTP endpoint's nesting limits for a subscribe message: variables (coercion recurses per
 * level) and the document (the parser recurses per level), each refused before GraphQL sees it.
 */
function nestingRefusal(
  payload: { readonly query: string; readonly variables?: unknown; readonly extensions?: unknown },
  limit: number,
): GraphQLError | undefined {
  const reason =
    exceedsJsonDepth(payload.variables, limit) || exceedsJsonDepth(payload.extensions, limit)
      ? { reason: 'json_too_deep', what: 'the variables nest arrays or objects' }
      : documentNestingDepth(payload.query) > limit
        ? { reason: 'document_too_deep', what: 'the GraphQL document nests' }
        : undefined;
  if (reason === undefined) return undefined;
  return new GraphQLError(`${reason.what} more than ${limit} levels deep`, {
    extensions: { code: 'BAD_REQUEST', reason: reason.reason, maxDepth: limit },
  });
}

/** The code Apollo gives the same error over HTTP, so both transports answer alike. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code !== undefined) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code },
  });
}
