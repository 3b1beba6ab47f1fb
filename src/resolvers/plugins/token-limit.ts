/**
 * The parser stops after a number of tokens, so a huge document is refused before it costs
 * memory and time to build its syntax tree.
 */
import type { ParseOptions } from 'graphql';

export function tokenLimitParseOptions(maxTokens: number): ParseOptions {
  return { maxTokens, noLocation: false };
}
