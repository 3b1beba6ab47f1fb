/**
 * Internal errors never reach a client: their message is replaced by one that quotes the
 * request id, and the original is logged with that id. PaddockErrors keep their message and
 * get their code mapped once (`graphqlCodeOf`); GraphQL's own errors (parse, validation,
 * variables) pass as they are.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isPaddockError } from '../../errors/index.js';
import type { GraphQLContext } from '../context.js';
import { graphqlCodeOf } from '../error-codes.js';

export const INTERNAL_CODE = 'INTERNAL_SERVER_ERROR';
const INTERNAL_MESSAGE = 'internal error';

/** Apollo's `formatError`: runs for every error of every response. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const { stacktrace: _hidden, ...extensions } = formatted.extensions ?? {};
  if (isPaddockError(original)) {
    if (original.code === 'INTERNAL') return masked(formatted);
    return {
      ...formatted,
      message: original.message,
      extensions: {
        ...extensions,
        code: graphqlCodeOf(original.code),
        ...(original.reason === undefined ? {} : { reason: original.reason }),
        ...(original.details === undefined ? {} : { details: original.details }),
      },
    };
  }
  if (extensions.code === undefined || extensions.code === INTERNAL_CODE) return masked(formatted);
  return { ...formatted, extensions };
}

function masked(formatted: GraphQLFormattedError): GraphQLFormattedError {
  // Errors raised before the request's plugins run (context creation) carry their id already.
  const requestId = formatted.extensions?.requestId;
  const base: GraphQLFormattedError = {
    message: INTERNAL_MESSAGE,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: INTERNAL_CODE },
  };
  return typeof requestId === 'string' ? stampRequestId(base, requestId) : base;
}

/** Logs what was masked and stamps the request id on every error the client sees. */
export function maskErrorsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const internal = isPaddockError(original)
              ? original.code === 'INTERNAL'
              : error.extensions.code === undefined || error.extensions.code === INTERNAL_CODE;
            if (internal)
              contextValue.logger.error(
                { err: original, path: error.path },
                'GraphQL internal error',
              );
            else contextValue.logger.debug({ err: error }, 'GraphQL error');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (!result.errors) return;
          result.errors = result.errors.map((e) => stampRequestId(e, contextValue.requestId));
        },
      };
    },
  };
}

export function stampRequestId(
  error: GraphQLFormattedError,
  requestId: string,
): GraphQLFormattedError {
  const internal = error.extensions?.code === INTERNAL_CODE;
  return {
    ...error,
    ...(internal
      ? { message: `${INTERNAL_MESSAGE}; quote request id ${requestId} when reporting it` }
      : {}),
    extensions: { ...error.extensions, requestId },
  };
}
