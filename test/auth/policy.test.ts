import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPolicy, PolicyError, type PolicyStatementInput, parsePolicy } from '../../src/auth/policy.js';
import { createPrincipal } from '../../src/auth/principal.js';
import { compileWildcard, subjectTokens, WildcardError, wildcardsOverlap } from '../../src/auth/wildcard.js';

const ACCOUNT = '1234567890123456';
const REGION = 'cn-hangzhou';
const KNOWN = { accountId: ACCOUNT, regionId: REGION };
const C1 = 'c1be3c0af3873acf6cf9d7b08c0c4d512';
const C2 = 'c2d0f9f1a6a1b4e7e9b1c5d3f6a7b8c90';

const apiKey = (name: string, groups: string[] = []) => createPrincipal('api-key', name, groups);
const user = (sub: string, groups: string[] = []) => createPrincipal('jwt', sub, groups);
const anonymous = createPrincipal('anonymous', 'anonymous');
const allow = (principals: string[], resources: string[]): PolicyStatementInput => ({
  principals,
  resources,
});
const deny = (principals: string[], resources: string[]): PolicyStatementInput => ({
  principals,
  resources,
  effect: 'Deny',
});

/** Plain recursive glob matcher, obviously right and exponential: the reference for small inputs. */
function referenceMatch(pattern: string, subject: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === pattern.length) result = j === subject.length;
    else if (pattern[i] === '*') result = go(i + 1, j) || (j < subject.length && go(i, j + 1));
    else result = j < subject.length && (pattern[i] === '?' || pattern[i] === subject[j]) && go(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}

const ackId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/);

describe('wildcards', () => {
  it('match a prefix, the middle, or the whole ARN, RAM-style', () => {
    const principal = apiKey('dashboard');
    const policy = (resource: string, options = KNOWN) =>
      createPolicy([allow(['key:dashboard'], [resource])], options);

    const prefix = policy('acs:cs:*:*:cluster/c123*');
    expect(prefix.isAllowed(principal, 'c123')).toBe(true);
    expect(prefix.isAllowed(principal, 'c123abc')).toBe(true);
    expect(prefix.isAllowed(principal, 'c12')).toBe(false);
    expect(prefix.isAllowed(principal, 'xc123')).toBe(false);
    // Case-sensitive, like cluster ids.
    expect(policy('acs:cs:*:*:cluster/C123*').isAllowed(principal, 'c123abc')).toBe(false);

    const middle = policy('acs:cs:cn-*:*:cluster/*');
    expect(middle.isAllowed(principal, C1)).toBe(true);
    expect(
      policy('acs:cs:cn-*:*:cluster/*', { ...KNOWN, regionId: 'ap-southeast-1' }).isAllowed(principal, C1),
    ).toBe(false);
    const single = policy('acs:cs:*:*:cluster/c?23');
    expect(single.isAllowed(principal, 'cx23')).toBe(true);
    expect(single.isAllowed(principal, 'c23')).toBe(false);

    for (const whole of ['*', 'acs:cs:*', 'acs:cs:*:*:*', `acs:cs:${REGION}:${ACCOUNT}:cluster/*`]) {
      expect(policy(whole).isAllowed(principal, C1)).toBe(true);
    }
    // `*` spans `:` and `/`, as in RAM.
    expect(policy(`acs:cs:*:cluster/${C1}`).isAllowed(principal, C1)).toBe(true);
    expect(policy(`acs:cs:*:*:cluster/${C1}`).isAllowed(principal, C2)).toBe(false);
  });

  it('are literal apart from * and ?: regular-expression characters mean themselves', () => {
    const pattern = compileWildcard('acs:cs:*:*:cluster/a.b+c(d)[e]{2}|^$\\');
    expect(pattern.matches('acs:cs:x:y:cluster/a.b+c(d)[e]{2}|^$\\')).toBe(true);
    expect(pattern.matches('acs:cs:x:y:cluster/aXbbc(d)[e]{2}|^$\\')).toBe(false);
  });

  it('agree with a reference matcher', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), minLength: 1, maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 12 }),
        (pattern, subject) => {
          const compiled = compileWildcard(pattern);
          expect(compiled.matches(subject)).toBe(referenceMatch(pattern, subject));
          // The overlap test agrees too when one side is a plain string.
          expect(wildcardsOverlap(compiled.tokens, subjectTokens([subject]))).toBe(compiled.matches(subject));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('overlap exactly when some string matches both patterns', () => {
    // Over a two-letter alphabet a witness needs at most |a| + |b| characters; enumerate them all.
    const strings = [''];
    for (let length = 1, last = ['']; length <= 10; length++) {
      last = last.flatMap((prefix) => [`${prefix}a`, `${prefix}b`]);
      strings.push(...last);
    }
    const token = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(
        fc.string({ unit: token, minLength: 1, maxLength: 5 }),
        fc.string({ unit: token, minLength: 1, maxLength: 5 }),
        (a, b) => {
          const expected = strings.some((s) => referenceMatch(a, s) && referenceMatch(b, s));
          expect(wildcardsOverlap(compileWildcard(a).tokens, compileWildcard(b).tokens)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('compile any input without throwing anything but a WildcardError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 })),
        (input) => {
          try {
            compileWildcard(input).matches(`acs:cs:${REGION}:${ACCOUNT}:cluster/${C1}`);
          } catch (error) {
            expect(error).toBeInstanceOf(WildcardError);
          }
        },
      ),
      { numRuns: 2_000 },
    );
    expect(() => compileWildcard('a'.repeat(257))).toThrow(/at most 256/);
    expect(() => compileWildcard('')).toThrow(WildcardError);
    expect(() => compileWildcard('acs:cs:*:*:cluster/a b')).toThrow(/printable ASCII/);
  });

  it('never backtrack catastrophically, whatever the pattern', () => {
    // `^.*a.*a.*a...b$` as a backtracking regular expression takes O(n^k) on "aaaa...": ages.
    const adversarial = ['*a'.repeat(128), `${'*a'.repeat(127)}b`, `${'a*'.repeat(127)}?b`, '*?'.repeat(128)];
    const subject = 'a'.repeat(5_000);
    for (const pattern of adversarial) {
      const compiled = compileWildcard(pattern);
      const started = performance.now();
      compiled.matches(subject);
      compiled.matches(`${subject}b`);
      wildcardsOverlap(compiled.tokens, compileWildcard('*a*a*a*a*a*a*a*a*c').tokens);
      expect(performance.now() - started).toBeLessThan(250);
    }
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '*', '?', 'b'), minLength: 1, maxLength: 256 }),
        fc.nat({ max: 2_000 }),
        (pattern, length) => {
          const compiled = compileWildcard(pattern);
          const started = performance.now();
          compiled.matches(`${'a'.repeat(length)}c`);
          expect(performance.now() - started).toBeLessThan(100);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('createPolicy', () => {
  it('never lets a statement for one literal id match another id', () => {
    fc.assert(
      fc.property(ackId, ackId, fc.boolean(), (granted, asked, known) => {
        fc.pre(granted !== asked);
        const policy = createPolicy(
          [allow(['key:dashboard'], [`acs:cs:*:*:cluster/${granted}`])],
          known ? KNOWN : {},
        );
        expect(policy.isAllowed(apiKey('dashboard'), granted)).toBe(true);
        expect(policy.isAllowed(apiKey('dashboard'), asked)).toBe(false);
        expect(policy.allowsAll(apiKey('dashboard'))).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });

  it('lets Deny win over Allow, for the principals it names only', () => {
    const policy = createPolicy(
      [
        allow(['group:sre'], ['acs:cs:*:*:cluster/*']),
        deny(['key:dashboard'], [`acs:cs:*:*:cluster/${C1}`]),
        deny(['sub:mallory'], ['*']),
      ],
      KNOWN,
    );
    const dashboard = apiKey('dashboard', ['sre']);
    expect(policy.isAllowed(dashboard, C1)).toBe(false);
    expect(policy.isAllowed(dashboard, C2)).toBe(true);
    expect(policy.allowsAll(dashboard)).toBe(false);
    const alice = user('alice', ['sre']);
    expect(policy.isAllowed(alice, C1)).toBe(true);
    expect(policy.allowsAll(alice)).toBe(true);
    expect(policy.isAllowed(user('mallory', ['sre']), C2)).toBe(false);
  });

  it('matches keys, subjects, groups, anonymous and * exactly, and denies whoever it does not name', () => {
    const policy = createPolicy(
      [
        allow(['key:dashboard'], [`acs:cs:*:*:cluster/${C1}`]),
        allow(['sub:alice'], [`acs:cs:*:*:cluster/${C2}`]),
        allow(['group:sre'], ['acs:cs:*:*:cluster/c3*']),
        allow(['anonymous'], ['acs:cs:*:*:cluster/c4*']),
        allow(['*'], ['acs:cs:*:*:cluster/public-*']),
      ],
      KNOWN,
    );
    expect(policy.configured).toBe(true);
    expect(policy.isAllowed(apiKey('dashboard'), C1)).toBe(true);
    expect(policy.isAllowed(user('dashboard'), C1)).toBe(false); // a subject is not a key name
    expect(policy.isAllowed(user('alice'), C2)).toBe(true);
    expect(policy.isAllowed(apiKey('alice'), C2)).toBe(false);
    expect(policy.isAllowed(apiKey('Alice'.toLowerCase()), C2)).toBe(false);
    expect(policy.isAllowed(user('bob', ['sre']), 'c3x')).toBe(true);
    expect(policy.isAllowed(apiKey('ci', ['sre']), 'c3x')).toBe(true);
    expect(policy.isAllowed(user('bob', ['SRE']), 'c3x')).toBe(false);
    expect(policy.isAllowed(anonymous, 'c4x')).toBe(true);
    expect(policy.isAllowed(apiKey('anonymous'), 'c4x')).toBe(false);
    expect(policy.isAllowed(user('nobody'), 'public-1')).toBe(true);
    expect(policy.isAllowed(user('nobody'), C1)).toBe(false);
    expect(createPolicy([], KNOWN).isAllowed(user('alice'), C1)).toBe(false);
  });

  it('allows everything when no policy is configured, but never a string that is not an id', () => {
    const open = createPolicy(undefined);
    expect(open.configured).toBe(false);
    expect(open.isAllowed(anonymous, C1)).toBe(true);
    expect(open.allowsAll(anonymous)).toBe(true);
    expect(open.scopeKey(anonymous)).toBe('all');
    const policy = createPolicy([allow(['*'], ['*'])], KNOWN);
    for (const notAnId of ['', '*', 'c1/../c2', `${C1}\u0000`, 'a'.repeat(129), '-c1']) {
      expect(open.isAllowed(anonymous, notAnId)).toBe(false);
      expect(policy.isAllowed(anonymous, notAnId)).toBe(false);
    }
  });

  it('fails closed when the account or region is unknown', () => {
    const dashboard = apiKey('dashboard');
    const check = (statements: PolicyStatementInput[], options: { accountId?: string; regionId?: string }) =>
      createPolicy(statements, options).isAllowed(dashboard, C1);
    const anyCluster = allow(['key:dashboard'], ['acs:cs:*:*:cluster/*']);
    // Allow counts only if it matches whatever the unknown value is.
    expect(check([anyCluster], {})).toBe(true);
    expect(check([allow(['key:dashboard'], [`acs:cs:${REGION}:*:cluster/*`])], {})).toBe(false);
    expect(check([allow(['key:dashboard'], [`acs:cs:${REGION}:*:cluster/*`])], { regionId: REGION })).toBe(
      true,
    );
    expect(check([allow(['key:dashboard'], [`acs:cs:*:${ACCOUNT}:cluster/*`])], { accountId: '*' })).toBe(
      false,
    );
    expect(check([allow(['key:dashboard'], [`acs:cs:*:${ACCOUNT}:cluster/*`])], KNOWN)).toBe(true);
    expect(check([allow(['key:dashboard'], [`acs:cs:*:${ACCOUNT}?:cluster/*`])], { regionId: REGION })).toBe(
      false,
    );
    // Deny counts if it could match some value of the unknown one.
    const denyOtherAccount = deny(['key:dashboard'], [`acs:cs:*:999:cluster/${C1}`]);
    expect(check([anyCluster, denyOtherAccount], { regionId: REGION })).toBe(false);
    expect(check([anyCluster, denyOtherAccount], KNOWN)).toBe(true);
    const denyBeijing = deny(['key:dashboard'], ['acs:cs:cn-beijing:*:cluster/*']);
    expect(check([anyCluster, denyBeijing], { accountId: ACCOUNT })).toBe(false);
    expect(check([anyCluster, denyBeijing], KNOWN)).toBe(true);
    expect(() => createPolicy([anyCluster], { accountId: 'acme' })).toThrow(PolicyError);
    expect(() => createPolicy([anyCluster], { regionId: 'cn-*' })).toThrow(PolicyError);
  });

  it('tells when a principal sees every cluster', () => {
    const policy = createPolicy(
      [
        allow(['key:all'], ['acs:cs:*:*:cluster/*']),
        allow(['key:all-but-one'], ['*']),
        deny(['key:all-but-one'], [`acs:cs:*:*:cluster/${C1}`]),
        allow(['key:all-but-other-account'], ['*']),
        deny(['key:all-but-other-account'], ['acs:cs:*:999:cluster/*']),
        allow(['key:prefix'], ['acs:cs:*:*:cluster/c*']),
        allow(['key:region'], [`acs:cs:${REGION}:*:cluster/*`]),
      ],
      KNOWN,
    );
    expect(policy.allowsAll(apiKey('all'))).toBe(true);
    expect(policy.allowsAll(apiKey('all-but-one'))).toBe(false);
    expect(policy.allowsAll(apiKey('all-but-other-account'))).toBe(true);
    expect(policy.allowsAll(apiKey('prefix'))).toBe(false);
    expect(policy.allowsAll(apiKey('region'))).toBe(true);
    expect(policy.allowsAll(apiKey('stranger'))).toBe(false);
    const regionUnknown = createPolicy([allow(['key:region'], [`acs:cs:${REGION}:*:cluster/*`])], {});
    expect(regionUnknown.allowsAll(apiKey('region'))).toBe(false);
  });

  it('gives principals with the same permissions one scope key, and different ones different keys', () => {
    const statements = [
      allow(['group:sre', 'key:ops'], ['acs:cs:*:*:cluster/c1*', 'acs:cs:*:*:cluster/c2*']),
      deny(['group:sre'], [`acs:cs:*:*:cluster/${C1}`]),
      allow(['key:ci'], ['acs:cs:*:*:cluster/c1*']),
      allow(['key:ops'], ['acs:cs:*:*:cluster/c1*']),
      deny(['key:ops'], [`acs:cs:*:*:cluster/${C1}`]),
      allow(['key:everything'], ['*']),
    ];
    const policy = createPolicy(statements, KNOWN);
    const alice = policy.scopeKey(user('alice', ['sre']));
    expect(alice).toMatch(/^policy:[0-9a-f]{32}$/);
    expect(policy.scopeKey(apiKey('dashboard', ['sre']))).toBe(alice);
    expect(policy.scopeKey(apiKey('ops'))).toBe(alice); // the same patterns, however they are reached
    expect(policy.scopeKey(user('alice', ['sre']))).toBe(alice); // stable, and not tied to the object
    expect(policy.scopeKey(apiKey('ci'))).not.toBe(alice);
    // ci's own grant (c1*) adds nothing to the group's: the same clusters, the same key.
    expect(policy.scopeKey(apiKey('ci', ['sre']))).toBe(alice);
    expect(policy.scopeKey(apiKey('ci', ['sre']))).not.toBe(policy.scopeKey(apiKey('ci')));
    expect(policy.scopeKey(apiKey('ci'))).not.toBe(policy.scopeKey(apiKey('ops', ['dev'])));
    expect(policy.scopeKey(apiKey('everything'))).toBe('all');
    expect(policy.scopeKey(apiKey('stranger'))).toBe('none');
    // Independent of statement order and of the Policy instance.
    expect(createPolicy([...statements].reverse(), KNOWN).scopeKey(user('alice', ['sre']))).toBe(alice);
  });

  it('rejects a malformed policy with every problem, by statement and field', () => {
    const problems = (value: unknown) => {
      try {
        parsePolicy(value);
      } catch (error) {
        expect(error).toBeInstanceOf(PolicyError);
        return (error as PolicyError).problems;
      }
      return expect.fail('expected a PolicyError');
    };
    expect(problems({ Statement: [] })).toEqual(['policy: must be a JSON array of statements']);
    expect(
      problems([
        { principals: ['user:alice'], resources: ['acs:cs:*:*:cluster/*'] },
        {
          principals: ['key:ok'],
          resources: ['acs:ecs:*:*:instance/*', 'acs:cs:*:*:cluster/a b'],
          effect: 'allow',
        },
        { principals: [], resources: [] },
        { Principals: ['*'], resources: ['*'] },
        'Allow',
      ]),
    ).toEqual([
      'statement 0, principals[0]: must be one of key:<api key name>, sub:<jwt subject>, group:<group>, anonymous, *',
      'statement 1, effect: must be "Allow" or "Deny"',
      'statement 1, resources[0]: never matches an ACK cluster ARN (acs:cs:<region>:<account>:cluster/<clusterId>)',
      'statement 1, resources[1]: must be printable ASCII without spaces',
      'statement 2, principals: must name at least one principal',
      'statement 2, resources: must name at least one resource',
      'statement 3, principals: must be an array of strings',
      "statement 3: Unrecognized key(s) in object: 'Principals'",
      'statement 4: must be an object {"principals", "resources", "effect"?, "sid"?}',
    ]);
    expect(() => createPolicy([allow(['*'], [`acs:cs:*:*:cluster/${'x'.repeat(300)}`])])).toThrow(
      /statement 0, resources\[0\]: must be at most 256 characters/,
    );
  });
});
