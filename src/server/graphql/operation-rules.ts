/** The validation rules and parse options both transports share. */
import type { ParseOptions, ValidationRule } from 'graphql';
import { aliasLimitRule } from '../../resolvers/plugins/alias-limit.js';
import { depthLimitRule } from '../../resolvers/plugins/depth-limit.js';
import {
  defaultOperationLimits,
  type OperationLimits,
} from '../../resolvers/plugins/operation-limits.js';
import { tokenLimitParseOptions } from '../../resolvers/plugins/token-limit.js';

export interface OperationRules {
  readonly limits: OperationLimits;
  /** Added to graphql-js's specified rules. */
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
}

export function operationRules(overrides: Partial<OperationLimits> = {}): OperationRules {
  const limits = { ...defaultOperationLimits, ...overrides };
  return {
    limits,
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases)],
    parseOptions: tokenLimitParseOptions(limits.maxTokens),
  };
}
