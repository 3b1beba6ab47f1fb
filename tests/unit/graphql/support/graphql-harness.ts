/** Starts the real /graphql endpoint on a real Paddock server on 127.0.0.1 for tests. */
import type { AddressInfo } from 'node:net';
import { OpenStreams } from '../../../../src/authproxy/index.js';
import type { CredentialEvents } from '../../../../src/domain/credential-events.js';
import type { Logger } from '../../../../src/domain/logger.js';
import {
  createGraphQLEndpoint,
  type GraphQLEndpoint,
  type GraphQLEndpointOptions,
} from '../../../../src/server/graphql/index.js';
import {
  createHttpMetrics,
  createPaddockServer,
  type PaddockServer,
} from '../../../../src/server/index.js';
import { fetchText, type SimpleResponse } from '../../../support/http-client.js';
import { createFakePorts, type FakePorts } from './fake-ports.js';

export interface LogLine {
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg: string | undefined;
}

export function memoryLogger(lines: LogLine[] = []): Logger {
  const at =
    (level: string, bindings: Record<string, unknown>) =>
    (objOrMsg: object | string, msg?: string): void => {
      if (typeof objOrMsg === 'string') lines.push({ level, obj: { ...bindings }, msg: objOrMsg });
      else {
        const obj: Record<string, unknown> = {
          ...bindings,
          ...(objOrMsg as Record<string, unknown>),
        };
        // Errors keep message and stack out of JSON; tests assert on what was logged.
        if (obj.err instanceof Error) obj.err = { message: obj.err.message, stack: obj.err.stack };
        lines.push({ level, obj, msg });
      }
    };
  const make = (bindings: Record<string, unknown>): Logger => ({
    fatal: at('fatal', bindings),
    error: at('error', bindings),
    warn: at('warn', bindings),
    info: at('info', bindings),
    debug: at('debug', bindings),
    trace: at('trace', bindings),
    child: (more) => make({ ...bindings, ...more }),
  });
  return make({});
}

export interface GraphQLHarness {
  readonly base: string;
  readonly url: string;
  readonly ports: FakePorts;
  readonly logs: LogLine[];
  readonly endpoint: GraphQLEndpoint;
  /** POSTs a JSON GraphQL request; `token` becomes `Authorization: Bearer`. */
  post(
    query: string,
    options?: {
      token?: string;
      variables?: Record<string, unknown>;
      headers?: Record<string, string>;
    },
  ): Promise<GraphQLHttpResult>;
  stop(): Promise<void>;
}

export interface GraphQLHttpResult extends SimpleResponse {
  readonly json: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
  };
}

export async function startGraphQLHarness(
  options: Partial<GraphQLEndpointOptions> & {
    /** Revocations that close WebSockets; none by default. */
    credentialEvents?: CredentialEvents;
    /** Periodic re-check of open WebSockets; default 5 s. */
    recheckIntervalMs?: number;
  } = {},
): Promise<GraphQLHarness> {
  const logs: LogLine[] = [];
  const logger = memoryLogger(logs);
  const ports = (options.ports as FakePorts | undefined) ?? createFakePorts();
  const { credentialEvents, recheckIntervalMs, ...endpointOptions } = options;
  const ownStreams = options.openStreams === undefined;
  const openStreams =
    options.openStreams ??
    new OpenStreams({
      authenticator: ports.authenticator,
      logger,
      credentialEvents,
      recheckIntervalMs,
      label: 'GraphQL WebSockets',
    });
  const endpoint = await createGraphQLEndpoint({
    production: false,
    ...endpointOptions,
    ports,
    logger,
    openStreams,
  });
  const server: PaddockServer = createPaddockServer({
    routes: endpoint.routes,
    logger,
    metrics: createHttpMetrics(),
  });
  const address: AddressInfo = await server.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${address.port}`;
  const url = `${base}${options.path ?? '/graphql'}`;
  return {
    base,
    url,
    ports,
    logs,
    endpoint,
    async post(query, opts = {}) {
      const res = await fetchText(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...opts.headers,
        },
        body: JSON.stringify({ query, ...(opts.variables ? { variables: opts.variables } : {}) }),
      });
      return { ...res, json: res.body ? JSON.parse(res.body) : {} };
    },
    async stop() {
      if (ownStreams && openStreams instanceof OpenStreams) openStreams.close();
      await server.shutdown(1000);
      await endpoint.stop();
    },
  };
}
