import type { OpenStreamTracker } from '../../domain/credential-events.js';
import type { Logger } from '../../domain/logger.js';
import type { GraphQLPorts } from '../../resolvers/context.js';
import type { OperationLimits } from '../../resolvers/plugins/operation-limits.js';

/** What `createGraphQLEndpoint` needs from the composition root. */
export interface GraphQLEndpointOptions {
  readonly ports: GraphQLPorts;
  readonly logger: Logger;
  /**
   * Tracks each WebSocket until its credential stops working (an `OpenStreams` fed by the
   * credential events and re-authenticating through `ports.authenticator`), then closes it.
   */
  readonly openStreams: OpenStreamTracker;
  /** Turns introspection off unless `introspection` says otherwise. */
  readonly production: boolean;
  /** Overrides the production default for introspection. */
  readonly introspection?: boolean;
  /** Serve the GraphiQL explorer to browsers on GET /graphql; default true. */
  readonly explorer?: boolean;
  /** Largest request body or WebSocket message; default 1 MiB. */
  readonly maxBodyBytes?: number;
  readonly limits?: Partial<OperationLimits>;
  /**
   * Origins (scheme://host[:port]) whose pages may open a cookie-authenticated WebSocket,
   * besides the server's own origin.
   */
  readonly allowedOrigins?: readonly string[];
  /** Clock for cookie lifetimes; default `Date.now`. */
  readonly now?: () => number;
  /** The route path; default `/graphql`. */
  readonly path?: string;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
