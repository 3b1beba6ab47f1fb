/**
 * Secure by default: an anonymous request may select only root fields marked with the
 * `anonymous` extension (login) and introspection meta fields. Everything else is refused
 * with UNAUTHENTICATED before a resolver runs, even if a resolver forgot `@Authorized()`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLContext } from '../context.js';
import { firstRootFieldWithout } from './root-field-gate.js';

/** The field extension (`@Extensions({ anonymous: true })`) that opens a root field. */
export const ANONYMOUS_EXTENSION = 'anonymous';

/** The error for an anonymous caller selecting a protected field, or undefined. */
export function anonymousAccessError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  const name = firstRootFieldWithout(schema, document, operation, ANONYMOUS_EXTENSION);
  if (name === undefined) return undefined;
  return new GraphQLError(`authentication required for ${name}`, {
    extensions: { code: 'UNAUTHENTICATED', reason: 'missing_credentials', http: { status: 401 } },
  });
}

export function anonymousGatePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, contextValue }) {
          if (contextValue.identity !== undefined || operation === undefined) return;
          const error = anonymousAccessError(schema, document, operation);
          if (error) throw error;
        },
      };
    },
  };
}
