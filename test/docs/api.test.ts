import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DefinitionNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
  print,
} from 'graphql';
import { describe, expect, it } from 'vitest';

/** docs/api.md must name only what the code serves: checked against the SDL and the sources. */
const page = readFileSync('docs/api.md', 'utf8');
const [served = '', comingNext = ''] = page.split('\n## Coming next\n');
const sdl = readFileSync('schema/schema.graphql', 'utf8');

type Fields = Map<string, { type: string; args: Map<string, string> }>;
const typeDefinitions = (definitions: readonly DefinitionNode[]) => {
  const types = new Map<string, Fields>();
  for (const definition of definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION
    )
      continue;
    const fields: Fields = new Map();
    for (const field of (definition.fields ?? []) as readonly (
      | FieldDefinitionNode
      | InputValueDefinitionNode
    )[]) {
      const args = new Map(
        ('arguments' in field ? (field.arguments ?? []) : []).map((arg) => [arg.name.value, print(arg.type)]),
      );
      fields.set(field.name.value, { type: print(field.type), args });
    }
    types.set(definition.name.value, fields);
  }
  return types;
};
const schemaTypes = typeDefinitions(parse(sdl).definitions);

const section = (title: string): string => {
  const start = served.indexOf(`\n## ${title}\n`);
  expect(start, `api.md has a "${title}" section`).toBeGreaterThan(-1);
  const end = served.indexOf('\n## ', start + 1);
  return served.slice(start, end === -1 ? undefined : end);
};

/** Every string literal of the gateway's sources (the simulator apart). */
function sourceStrings(dir = 'src'): Set<string> {
  const strings = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== join('src', 'simulator')) for (const value of sourceStrings(path)) strings.add(value);
    } else if (entry.name.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/'([^'\n]*)'/g)) strings.add(match[1]!);
    }
  }
  return strings;
}

describe('docs/api.md names what the gateway serves', () => {
  it('every type, field and argument of its GraphQL outlines is in schema/schema.graphql', () => {
    const blocks = [...served.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(blocks.length).toBeGreaterThan(1);
    const problems: string[] = [];
    for (const block of blocks) {
      for (const [typeName, fields] of typeDefinitions(parse(block).definitions)) {
        const actual = schemaTypes.get(typeName);
        if (!actual) {
          problems.push(`type ${typeName} is not in the schema`);
          continue;
        }
        for (const [fieldName, field] of fields) {
          const real = actual.get(fieldName);
          if (!real) problems.push(`${typeName}.${fieldName} is not in the schema`);
          else if (real.type !== field.type)
            problems.push(`${typeName}.${fieldName} is ${real.type}, not ${field.type}`);
          for (const [argName, argType] of field.args) {
            if (real && real.args.get(argName) !== argType)
              problems.push(`${typeName}.${fieldName}(${argName}: ${argType}) is not in the schema`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every enum value it lists is a value of that enum, which has UNKNOWN', () => {
    const enums = new Map(
      parse(sdl)
        .definitions.filter((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION)
        .map((definition) => [
          definition.name.value,
          (definition.values ?? []).map((value) => value.name.value),
        ]),
    );
    const listed = [...section('Enums').matchAll(/^- `([A-Za-z]+)` \([^)]*\): ([^\n]*(?:\n {2}[^\n]*)*)/gm)];
    expect(listed.length).toBeGreaterThan(10);
    for (const [, name, text] of listed) {
      const values = enums.get(name!);
      expect(values, `enum ${name}`).toBeDefined();
      expect(values).toContain('UNKNOWN');
      for (const [, value] of text!.matchAll(/`([A-Z][A-Z0-9_]*)`/g))
        expect(values, `${name}`).toContain(value);
    }
  });

  it('every error code and limit name it lists is one the code uses', () => {
    const strings = sourceStrings();
    // graphql-yoga's own codes, set outside this repository's sources.
    const yoga = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    const errors = section('Errors');
    const codes = [...errors.matchAll(/^\| `([A-Z][A-Z_]+)`/gm)].map((match) => match[1]!);
    expect(codes).toContain('QUERY_LIMIT_EXCEEDED');
    expect(codes.filter((code) => !yoga.has(code) && !strings.has(code))).toEqual([]);
    const limits = [...errors.matchAll(/^\| `([a-z][A-Za-z]+)`/gm)].map((match) => match[1]!);
    expect(limits).toContain('upstreamCalls');
    expect(limits.filter((limit) => !strings.has(limit))).toEqual([]);
  });

  it('keeps "Coming next" to names the schema does not serve yet', () => {
    // When one of these lands, document it above and drop it from "Coming next".
    for (const [, typeName] of comingNext.matchAll(/^type (\w+)/gm)) {
      expect(schemaTypes.has(typeName!), `${typeName} is in the schema now`).toBe(false);
    }
  });
});
