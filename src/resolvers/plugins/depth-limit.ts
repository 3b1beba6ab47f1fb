/**
 * Refuses operations nested deeper than a limit, following fragments. Introspection subtrees
 * (`__schema`, `__type`) are left out: their shape is fixed by the schema, and the token and
 * cost limits still bound them.
 */
import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const def of context.getDocument().definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      }
      const depth = depthOf(operation.selectionSet, fragments, new Map(), new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(
            `operation ${operation.name?.value ?? '(anonymous)'} is nested deeper than ${maxDepth} levels`,
            { nodes: [operation], extensions: { reason: 'query_too_deep', maxDepth } },
          ),
        );
      }
    },
  });
}

/**
 * Depth of a selection set. A fragment's depth does not depend on where it is spread, so it is
 * computed once: documents that spread fragments many times stay linear to check.
 */
function depthOf(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  known: Map<string, number>,
  visiting: Set<string>,
): number {
  let deepest = 0;
  for (const selection of set.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth =
        1 +
        (selection.selectionSet ? depthOf(selection.selectionSet, fragments, known, visiting) : 0);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, known, visiting);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Unknown and cyclic fragments are reported by graphql-js's own rules.
      if (fragment === undefined || visiting.has(name)) continue;
      let memo = known.get(name);
      if (memo === undefined) {
        visiting.add(name);
        memo = depthOf(fragment.selectionSet, fragments, known, visiting);
        visiting.delete(name);
        known.set(name, memo);
      }
      depth = memo;
    }
    if (depth > deepest) deepest = depth;
  }
  return deepest;
}
