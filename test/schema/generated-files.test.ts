import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import {
  type GraphQLField,
  type GraphQLNamedType,
  isEnumType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';
import { schema } from '../../src/schema/index.js';

/** Our types: not introspection's, not the built-in scalars, not the federation spec's `_` types. */
const ownTypes = (): GraphQLNamedType[] =>
  Object.values(schema.getTypeMap()).filter(
    (type) =>
      !type.name.startsWith('_') &&
      !isIntrospectionType(type) &&
      !(isScalarType(type) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)),
  );

describe('schema', () => {
  it('matches the committed generated files (run `npm run codegen` when this fails)', async () => {
    const outputs = await generate({ ...config, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(1);
    for (const output of outputs) {
      const committed = await readFile(output.filename, 'utf8').catch(() => '(missing)');
      expect(committed, `${output.filename} is stale: run npm run codegen`).toBe(output.content);
    }
  });

  it('documents every type, field, argument and enum value', () => {
    const undocumented: string[] = [];
    for (const type of ownTypes()) {
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
          if (field.name.startsWith('_')) continue; // _entities, _service: the federation spec's
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
          for (const arg of field.args)
            if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) {
        for (const value of type.getValues())
          if (!value.description) undocumented.push(`${type.name}.${value.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('never exposes the login password, in any form', () => {
    const names = ownTypes().flatMap((type) =>
      isObjectType(type)
        ? Object.keys(type.getFields()).map((field) => `${type.name}.${field}`)
        : [type.name],
    );
    expect(names.filter((name) => /password/i.test(name))).toEqual([]);
  });

  it('marks the documented-deprecated fields with their replacement', () => {
    const scalingGroup = schema.getType('ScalingGroup');
    const nodePool = schema.getType('NodePool');
    if (!isObjectType(scalingGroup) || !isObjectType(nodePool)) throw new Error('types missing');
    const sg = scalingGroup.getFields();
    expect(sg.cisEnabled?.deprecationReason).toContain('securityHardeningOs');
    expect(sg.securityGroupId?.deprecationReason).toContain('securityGroupIds');
    expect(sg.platform?.deprecationReason).toContain('imageType');
    expect(sg.ramPolicy?.deprecationReason).toContain('ramRoleName');
    expect(nodePool.getFields().interconnectConfig?.deprecationReason).toContain('interconnectMode');
  });

  it('turns closed value sets into enums with an UNKNOWN member', () => {
    const expected: Record<string, string[]> = {
      NodePoolType: ['ESS', 'EDGE', 'LINGJUN'],
      NodePoolState: ['ACTIVE', 'SCALING', 'REMOVING', 'DELETING', 'UPDATING'],
      AutoScalingType: ['CPU', 'GPU', 'GPUSHARE', 'SPOT'],
      InternetChargeType: ['PAY_BY_BANDWIDTH', 'PAY_BY_TRAFFIC'],
      InstanceChargeType: ['PRE_PAID', 'POST_PAID'],
      PeriodUnit: ['MONTH', 'WEEK'],
      SpotStrategy: ['NO_SPOT', 'SPOT_WITH_PRICE_LIMIT', 'SPOT_AS_PRICE_GO'],
      MultiAzPolicy: ['PRIORITY', 'COST_OPTIMIZED', 'BALANCE'],
      ScalingPolicy: ['RELEASE', 'RECYCLE'],
      PrivatePoolMatchCriteria: ['OPEN', 'TARGET', 'NONE'],
      ResourcePoolStrategy: ['PRIVATE_POOL_FIRST', 'PRIVATE_POOL_ONLY', 'NONE'],
      CpuPolicy: ['STATIC', 'NONE'],
      InterconnectMode: ['BASIC', 'PRIVATE'],
    };
    for (const [name, values] of Object.entries(expected)) {
      const type = schema.getType(name);
      expect(isEnumType(type), name).toBe(true);
      if (isEnumType(type)) {
        expect(
          type
            .getValues()
            .map((value) => value.name)
            .sort(),
          name,
        ).toEqual([...values, 'UNKNOWN'].sort());
      }
    }
  });
});
