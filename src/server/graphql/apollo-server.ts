/** Apollo Server configured with Paddock's safety plugins and rules. */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '../../domain/logger.js';
import type { GraphQLContext } from '../../resolvers/context.js';
import { anonymousGatePlugin } from '../../resolvers/plugins/anonymous-gate.js';
import { costLimitPlugin } from '../../resolvers/plugins/cost-limit.js';
import { csrfPreventionOptions } from '../../resolvers/plugins/csrf-prevention.js';
import { formatError, maskErrorsPlugin } from '../../resolvers/plugins/mask-errors.js';
import { mutationAuditPlugin } from '../../resolvers/plugins/mutation-audit.js';
import { passwordChangeGatePlugin } from '../../resolvers/plugins/password-change-gate.js';
import type { OperationRules } from './operation-rules.js';

export interface PaddockApolloOptions {
  readonly schema: GraphQLSchema;
  readonly rules: OperationRules;
  readonly introspection: boolean;
  readonly logger: Logger;
}

export function createApolloServer(options: PaddockApolloOptions): ApolloServer<GraphQLContext> {
  const { rules, logger } = options;
  return new ApolloServer<GraphQLContext>({
    schema: options.schema,
    introspection: options.introspection,
    csrfPrevention: csrfPreventionOptions,
    validationRules: rules.validationRules,
    parseOptions: rules.parseOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Refuses documents whose fragments expand to an absurd number of selections.
    maxRecursiveSelections: true,
    // Persisted queries would let a client skip sending the document; nothing needs them.
    persistedQueries: false,
    stopOnTerminationSignals: false,
    nodeEnv: 'production',
    logger: {
      debug: (msg) => logger.debug(String(msg)),
      info: (msg) => logger.info(String(msg)),
      warn: (msg) => logger.warn(String(msg)),
      error: (msg) => logger.error(String(msg)),
    },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      maskErrorsPlugin(),
      anonymousGatePlugin(),
      passwordChangeGatePlugin(),
      costLimitPlugin(rules.limits.maxCost),
      mutationAuditPlugin(),
    ],
  });
}
