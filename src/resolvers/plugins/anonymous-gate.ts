/**
 * Secure by default: an anonymous request may select only root fields marked with the
 * `anonymous` extension (login) and introspection meta fields. Everything else is refused
 * with UNAUTHENTICATED before a resolver runs, even if a resolver forgot `@Authorized()`.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLContext } from '../context.js';

/** The field extension (`@Extensions({ anonymous: true })`) that opens a root field. */
export const ANONYMOUS_EXTENSION = 'anonymous';

/** Root field names the operation selects, through fragments. */
export function rootFieldNames(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.add(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const fragment = fragments.get(s.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

/** The error for an anonymous caller selecting a protected field, or undefined. */
export function anonymousAccessError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): GraphQLError | undefined {
  const root = schema.getRootType(operation.operation);
  const fields = root?.getFields() ?? {};
  for (const name of rootFieldNames(document, operation)) {
    if (name.startsWith('__')) continue;
    if (fields[name]?.extensions?.[ANONYMOUS_EXTENSION] === true) continue;
    return new GraphQLError(`authentication required for ${name}`, {
      extensions: { code: 'UNAUTHENTICATED', reason: 'missing_credentials', http: { status: 401 } },
    });
  }
  return undefined;
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
