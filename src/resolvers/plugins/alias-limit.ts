/**
 * Refuses documents with too many aliases: aliases let one request run the same expensive
 * field many times under different names, which depth limits do not see.
 */
import {
  type ASTVisitor,
  GraphQLError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let count = 0;
    return {
      Field(node) {
        if (node.alias === undefined) return;
        count += 1;
        if (count === maxAliases + 1) {
          context.reportError(
            new GraphQLError(`the document uses more than ${maxAliases} aliases`, {
              nodes: [node],
              extensions: { reason: 'too_many_aliases', maxAliases },
            }),
          );
        }
      },
    };
  };
}
