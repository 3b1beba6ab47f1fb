/**
 * One audit line per GraphQL mutation, over HTTP and WebSocket alike: who (user, credential
 * kind and id), which root fields, and how it ended. Variables are never logged: they carry
 * passwords, tokens and sealed settings. Fields that write their own richer audit line (cluster
 * registration, user administration) are still covered here, so no mutation goes unrecorded,
 * including the ones later features add.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  getOperationAST,
  type OperationDefinitionNode,
} from 'graphql';
import type { Identity } from '../../domain/identity.js';
import type { Logger } from '../../domain/logger.js';
import type { GraphQLContext } from '../context.js';
import { rootFieldNames } from './root-field-gate.js';

export interface MutationAuditEvent {
  readonly kind: 'graphql-mutation';
  readonly userId?: string;
  readonly tokenKind?: Identity['tokenKind'];
  readonly tokenId?: string;
  readonly operationName?: string;
  /** The mutation fields the operation selected (`createLocalUser`, `importCluster`, ...). */
  readonly fields: readonly string[];
  /** `success`: no errors; `partial`: some fields failed; `failure`: nothing was done. */
  readonly outcome: 'success' | 'partial' | 'failure';
  /** The distinct `extensions.code`s of the errors, e.g. `FORBIDDEN`. */
  readonly errorCodes?: readonly string[];
}

/** The audit event of a finished mutation, or undefined for queries and subscriptions. */
export function mutationAuditEvent(
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
  identity: Identity | undefined,
  result: { readonly data?: unknown; readonly errors?: readonly GraphQLFormattedError[] },
): MutationAuditEvent | undefined {
  if (operation?.operation !== 'mutation') return undefined;
  const errors = result.errors ?? [];
  const data = result.data as Record<string, unknown> | null | undefined;
  const anyData = data != null && Object.values(data).some((v) => v !== null);
  const outcome = errors.length === 0 ? 'success' : anyData ? 'partial' : 'failure';
  const codes = [
    ...new Set(errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))),
  ];
  return {
    kind: 'graphql-mutation',
    ...(identity === undefined
      ? {}
      : { userId: identity.userId, tokenKind: identity.tokenKind, tokenId: identity.tokenId }),
    ...(operation.name ? { operationName: operation.name.value } : {}),
    fields: [...rootFieldNames(document, operation)].filter((f) => !f.startsWith('__')).sort(),
    outcome,
    ...(codes.length > 0 ? { errorCodes: codes } : {}),
  };
}

/** Writes the audit line, at info, on the request's logger. */
export function writeMutationAudit(logger: Logger, event: MutationAuditEvent | undefined): void {
  if (event !== undefined) logger.info({ audit: event }, 'graphql audit');
}

/** The HTTP side: Apollo calls `willSendResponse` once per operation. */
export function mutationAuditPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ document, operation, contextValue, response }) {
          if (document === undefined || response.body.kind !== 'single') return;
          const body = response.body.singleResult;
          writeMutationAudit(
            contextValue.logger,
            mutationAuditEvent(document, operation, contextValue.identity, body),
          );
        },
      };
    },
  };
}

/** The WebSocket side: a mutation's single result, as graphql-ws hands it to `onNext`. */
export function auditWebSocketResult(
  args: {
    readonly document: DocumentNode;
    readonly operationName?: string | null | undefined;
    readonly contextValue?: unknown;
  },
  result: ExecutionResult,
): void {
  const context = args.contextValue as GraphQLContext | undefined;
  if (context === undefined) return;
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  writeMutationAudit(
    context.logger,
    mutationAuditEvent(args.document, operation, context.identity, {
      data: result.data,
      errors: result.errors?.map((e) => e.toJSON()),
    }),
  );
}
