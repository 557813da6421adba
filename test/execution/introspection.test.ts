import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { hasIntrospection } from '../../src/introspection.js';

describe('hasIntrospection', () => {
  it('finds __schema and __type anywhere in the document, and answers a document asked again the same', () => {
    const inFragment = parse('query { ...F } fragment F on Query { __type(name: "Cluster") { name } }');
    const plain = parse('{ clusters(ids: []) { id } }');
    const aliased = parse('{ schema: __schema { queryType { name } } }');
    for (let round = 0; round < 2; round++) {
      expect(hasIntrospection(inFragment)).toBe(true);
      expect(hasIntrospection(aliased)).toBe(true);
      expect(hasIntrospection(plain)).toBe(false);
    }
    // __typename is not introspection of the schema.
    expect(hasIntrospection(parse('{ __typename }'))).toBe(false);
  });
});
