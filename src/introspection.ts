import { type DocumentNode, Kind, visit } from 'graphql';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/**
 * Per parsed document: yoga's parse cache hands out the same DocumentNode for the same text, and
 * every request asks (the compiled executor and the response cache's admission), so a repeated
 * document is visited once instead of twice per request.
 */
const judged = new WeakMap<DocumentNode, boolean>();

/**
 * Whether the parsed document asks for the schema itself. Judged on the AST, so a name spelled
 * with escapes or split by comments in the text is found all the same.
 */
export function hasIntrospection(document: DocumentNode): boolean {
  const known = judged.get(document);
  if (known !== undefined) return known;
  const found = visitForIntrospection(document);
  judged.set(document, found);
  return found;
}

function visitForIntrospection(document: DocumentNode): boolean {
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
