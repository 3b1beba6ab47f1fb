/**
 * GraphQL over WebSocket (graphql-ws protocol) on the same path as HTTP. A connection
 * authenticates once at `connection_init` (a token in `connectionParams.authorization`, else
 * the handshake's Authorization header or session cookie); anonymous connections are refused.
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
import type { Disposable } from 'graphql-ws';
import { useServer as attachGraphQLWs, type Extra } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Identity } from '../../domain/identity.js';
import type { GraphQLPorts } from '../../resolvers/context.js';
import { costLimitError } from '../../resolvers/plugins/cost-limit.js';
import { introspectionRules } from '../../resolvers/plugins/introspection.js';
import { formatError, INTERNAL_CODE, stampRequestId } from '../../resolvers/plugins/mask-errors.js';
import { passwordChangeError } from '../../resolvers/plugins/password-change-gate.js';
import type { RequestContext, UpgradeHandler } from '../http-route.js';
import { authenticateCaller } from './authenticate-caller.js';
import { createGraphQLContext } from './graphql-context-factory.js';
import type { OperationRules } from './operation-rules.js';
import { isAllowedOrigin } from './websocket-origin.js';

export interface GraphQLWsOptions {
  readonly schema: GraphQLSchema;
  readonly rules: OperationRules;
  readonly introspection: boolean;
  readonly ports: GraphQLPorts;
  readonly maxPayloadBytes: number;
  readonly allowedOrigins: readonly string[];
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
}

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
        const headers =
          typeof token === 'string' ? { authorization: token } : ctx.extra.request.headers;
        try {
          const identity = await authenticateCaller(
            ports.authenticator,
            headers,
            ctx.extra.request.socket.remoteAddress,
          );
          if (identity === undefined) return false;
          connection.identity = identity;
          return true;
        } catch (err) {
          connection.request.log.debug({ err }, 'GraphQL WebSocket authentication failed');
          return false;
        }
      },
      async onSubscribe(ctx, id, payload) {
        const connection = connectionOf(ctx.extra);
        const identity = connection.identity;
        if (
          identity === undefined ||
          (identity.expiresAt !== undefined && identity.expiresAt <= now())
        ) {
          return [
            new GraphQLError('the credential of this connection has expired', {
              extensions: { code: 'UNAUTHENTICATED', reason: 'token_expired' },
            }),
          ];
        }
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
      onNext(ctx, id, _payload, _args, result: ExecutionResult) {
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
