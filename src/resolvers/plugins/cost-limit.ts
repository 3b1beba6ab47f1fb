/**
 * Estimates what an operation will cost before it runs and refuses the expensive ones. Each
 * field costs 1 (or its `complexity` extension); a field with a `first` argument costs its
 * children times the page size, so asking for many pages of many items adds up.
 */
import { createRequire } from 'node:module';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
} from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { GraphQLContext } from '../context.js';
import { DEFAULT_PAGE_SIZE } from '../cursor.js';

// The package's ESM build imports `graphql/index.mjs`, a second graphql realm beside the
// CommonJS one that Apollo and type-graphql load (graphql 16 has no `exports` map), and
// graphql refuses to mix them. Its CommonJS build shares the one realm.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;

const pageSizeEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((a) => a.name === 'first')) return undefined;
  const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + childComplexity * Math.max(1, first);
};

const estimators = [
  fieldExtensionsEstimator(),
  pageSizeEstimator,
  simpleEstimator({ defaultComplexity: 1 }),
];

export interface CostQuery {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown> | null;
}

export function operationCost(query: CostQuery): number {
  return getComplexity({
    schema: query.schema,
    query: query.document,
    estimators,
    ...(query.operationName ? { operationName: query.operationName } : {}),
    ...(query.variables ? { variables: query.variables } : {}),
  });
}

/**
 * The error for an operation over the limit, or undefined when it may run. Variables that do
 * not coerce are left to execution, which refuses them before any resolver runs.
 */
export function costLimitError(query: CostQuery, maxCost: number): GraphQLError | undefined {
  if (!variablesCoerce(query)) return undefined;
  let cost: number;
  try {
    cost = operationCost(query);
  } catch (err) {
    return refusal(`cannot estimate the operation's cost: ${(err as Error).message}`, {});
  }
  if (cost <= maxCost) return undefined;
  return refusal(
    `operation cost ${cost} exceeds the limit of ${maxCost}; ask for smaller pages or fewer fields`,
    { cost, maxCost },
  );
}

function refusal(message: string, extra: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'query_too_costly',
      ...extra,
      http: { status: 400 },
    },
  });
}

function variablesCoerce(query: CostQuery): boolean {
  const operation = getOperationAST(query.document, query.operationName ?? undefined);
  if (!operation) return false;
  const { errors } = getVariableValues(
    query.schema,
    operation.variableDefinitions ?? [],
    query.variables ?? {},
  );
  return errors === undefined || errors.length === 0;
}

export function costLimitPlugin(maxCost: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request }) {
          const error = costLimitError(
            { schema, document, operationName, variables: request.variables ?? null },
            maxCost,
          );
          if (error) throw error;
        },
      };
    },
  };
}
