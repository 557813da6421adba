import { type DocumentNode, Kind, visit } from 'graphql';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Whether the parsed document asks for the schema itself. Judged on the AST, so a name spelled
 * with escapes or split by comments in the text is found all the same.
 */
export function hasIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (INTROSPECTION_FIELDS.has(node.name.value)) {
        found = true;
        return false;
      }
      return undefined;
    },
  });
  return found;
}
