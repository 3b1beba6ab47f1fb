/**
 * Finds the root fields an operation selects (through fragments) that lack a field
 * extension: the gates use it to allow only fields explicitly opened for a kind of caller.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

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

/** The first selected root field (meta fields aside) whose `extension` is not true. */
export function firstRootFieldWithout(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  extension: string,
): string | undefined {
  const fields = schema.getRootType(operation.operation)?.getFields() ?? {};
  for (const name of rootFieldNames(document, operation)) {
    if (name.startsWith('__')) continue;
    if (fields[name]?.extensions?.[extension] !== true) return name;
  }
  return undefined;
}
