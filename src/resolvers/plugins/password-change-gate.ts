/**
 * A local user whose password must change (a generated bootstrap password, an admin reset)
 * may do nothing else first: only root fields marked `beforePasswordChange` (me, logout,
 * login) answer until then; the rest are FORBIDDEN with reason `must_change_password`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { Identity } from '../../domain/identity.js';
import type { GraphQLContext } from '../context.js';
import { firstRootFieldWithout } from './root-field-gate.js';

export const BEFORE_PASSWORD_CHANGE_EXTENSION = 'beforePasswordChange';

export function passwordChangeError(
  identity: Identity | undefined,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  if (identity?.mustChangePassword !== true) return undefined;
  const name = firstRootFieldWithout(schema, document, operation, BEFORE_PASSWORD_CHANGE_EXTENSION);
  if (name === undefined) return undefined;
  return new GraphQLError(`change your password before using ${name}`, {
    extensions: { code: 'FORBIDDEN', reason: 'must_change_password', http: { status: 403 } },
  });
}

export function passwordChangeGatePlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, contextValue }) {
          if (operation === undefined) return;
          const error = passwordChangeError(contextValue.identity, schema, document, operation);
          if (error) throw error;
        },
      };
    },
  };
}
