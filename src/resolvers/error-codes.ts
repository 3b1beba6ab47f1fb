/**
 * The one mapping from a PaddockError code to GraphQL `extensions.code`. Apollo's own codes are
 * used where they mean the same thing, so generic GraphQL clients understand them.
 */
import { GraphQLError } from 'graphql';
import type { PaddockError, PaddockErrorCode } from '../errors/index.js';
import { httpStatusOf, UnreachableCaseError } from '../errors/index.js';

export function graphqlCodeOf(code: PaddockErrorCode): string {
  switch (code) {
    case 'VALIDATION_FAILED':
      return 'BAD_USER_INPUT';
    case 'INTERNAL':
      return 'INTERNAL_SERVER_ERROR';
    case 'BAD_REQUEST':
    case 'CONFIG_INVALID':
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'METHOD_NOT_ALLOWED':
    case 'CONFLICT':
    case 'GONE':
    case 'PAYLOAD_TOO_LARGE':
    case 'TOO_MANY_REQUESTS':
    case 'UPSTREAM_UNAVAILABLE':
    case 'UPSTREAM_TIMEOUT':
    case 'UPSTREAM_RESET':
    case 'STORE_UNAVAILABLE':
      return code;
    default:
      throw new UnreachableCaseError(code);
  }
}

/** Options for `toGraphQLError`. */
export interface ToGraphQLErrorOptions {
  /** Set `extensions.http.status` so Apollo answers with that HTTP status (context errors). */
  readonly withHttpStatus?: boolean;
}

/** A GraphQLError carrying the PaddockError's code, reason and safe details. */
export function toGraphQLError(
  err: PaddockError,
  options: ToGraphQLErrorOptions = {},
): GraphQLError {
  return new GraphQLError(err.message, {
    originalError: err,
    extensions: {
      code: graphqlCodeOf(err.code),
      ...(err.reason === undefined ? {} : { reason: err.reason }),
      ...(err.details === undefined ? {} : { details: err.details }),
      ...(options.withHttpStatus ? { http: { status: httpStatusOf(err.code) } } : {}),
    },
  });
}
