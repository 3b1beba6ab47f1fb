/** The limits every GraphQL operation is held to, over HTTP and WebSocket alike. */

export interface OperationLimits {
  /** Deepest field nesting (introspection subtrees are not counted). */
  readonly maxDepth: number;
  /** Most aliased fields in one document. */
  readonly maxAliases: number;
  /** Highest estimated cost; lists multiply by their `first` argument. */
  readonly maxCost: number;
  /** Most lexical tokens the parser reads before giving up. */
  readonly maxTokens: number;
  /**
   * Deepest nesting of arrays and objects in a request's JSON (variables, extensions): deeper
   * input overflows the stack of argument conversion, so it is refused before execution.
   */
  readonly maxJsonDepth: number;
}

export const defaultOperationLimits: OperationLimits = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 10_000,
  maxTokens: 5_000,
  maxJsonDepth: 64,
};
