/**
 * Two workloads no response cache can answer, as wrk Lua scripts that build a new request body
 * per request (wrk's `request()` hook), for scripts/bench.ts to run beside W1/W2:
 *
 *   W1 distinct   W1's question (DASHBOARD_QUERY) with the cluster ids in a new order on every
 *                 request: the same answer size and fields, but a distinct document-variables
 *                 pair each time, so every answer is executed (the path of every federated
 *                 request). Its floor is the W1 floor (same answer bytes): the floor answers by
 *                 exact body, so it cannot serve shuffled bodies itself.
 *   _entities     a federated router's entity fetch: a random subset (1..ENTITY_BATCH_MAX) of
 *                 Cluster and NodePool representations in random order per request.
 *
 * The scripts print the same `BENCH_RESULT {...}` line as scripts/bench/wrk.ts's, so runWrk
 * reads them unchanged:
 *
 *   const script = writeDistinctDashboardScript(tmp, REQUEST_HEADERS, clusterIds);
 *   const result = await runWrk({ url, script, durationS, connections, threads });
 *
 * `distinctDashboardBody` / `entitiesBody` build one such body in Node (warm-up requests, checks).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_QUERY } from './queries.js';
import { WRK_RESULT_DONE } from './wrk.js';

/** What a subgraph is asked by a router resolving references to clusters and node pools. */
export const ENTITIES_QUERY = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Cluster {
        id
        nodePools {
          id
          name
          status { state totalNodes healthyNodes }
        }
      }
      ... on NodePool {
        id
        clusterId
        name
        type
        isDefault
        status { state totalNodes healthyNodes failedNodes servingNodes }
        autoScaling { enable minInstances maxInstances }
        scalingGroup { instanceTypes desiredSize }
      }
    }
  }
`;

/** The keys the `_entities` workload draws from: ask the gateway once, before the run. */
export const ENTITY_KEYS_QUERY =
  'query EntityKeys($ids: [ID!]!) { clusters(ids: $ids) { id nodePools { id } } }';

export interface EntityKeys {
  clusterId: string;
  nodePoolIds: string[];
}

/** The keys in an answer to {@link ENTITY_KEYS_QUERY}. */
export function entityKeysFrom(answer: unknown): EntityKeys[] {
  const clusters = (
    answer as { data?: { clusters?: ({ id: string; nodePools?: { id: string }[] } | null)[] } }
  ).data?.clusters;
  return (clusters ?? []).flatMap((cluster) =>
    cluster ? [{ clusterId: cluster.id, nodePoolIds: (cluster.nodePools ?? []).map((pool) => pool.id) }] : [],
  );
}

/** Representations per `_entities` request at most (a router's batch for one page of results). */
export const ENTITY_BATCH_MAX = 40;

const shuffle = <T>(items: readonly T[], random: () => number): T[] => {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

/** One W1-distinct body: the ids in a random order. */
export function distinctDashboardBody(clusterIds: readonly string[], random = Math.random): string {
  return JSON.stringify({ query: DASHBOARD_QUERY, variables: { ids: shuffle(clusterIds, random) } });
}

const representationsOf = (keys: readonly EntityKeys[]) =>
  keys.flatMap((key) => [
    { __typename: 'Cluster', id: key.clusterId },
    ...key.nodePoolIds.map((id) => ({ __typename: 'NodePool', clusterId: key.clusterId, id })),
  ]);

/** One `_entities` body: 1..max representations, drawn at random, in random order. */
export function entitiesBody(
  keys: readonly EntityKeys[],
  random = Math.random,
  max = ENTITY_BATCH_MAX,
): string {
  const all = representationsOf(keys);
  const count = 1 + Math.floor(random() * Math.min(max, all.length));
  return JSON.stringify({
    query: ENTITIES_QUERY,
    variables: { representations: shuffle(all, random).slice(0, count) },
  });
}

/** A Lua long string that cannot be closed early by the text itself. */
function luaLongString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}

function luaScript(options: {
  headers: Record<string, string>;
  /** Lua statements run once per thread (its own random seed, its own copies). */
  init: string;
  /** A Lua expression: the body of the next request. */
  body: string;
  /** Lua definitions the body expression uses. */
  definitions: string;
}): string {
  const headerLines = Object.entries(options.headers)
    .map(([key, value]) => `wrk.headers[ ${luaLongString(key)} ] = ${luaLongString(value)}`)
    .join('\n');
  return `wrk.method = "POST"
${headerLines}
${options.definitions}
init = function(args)
  -- Each thread its own sequence: wrk's threads run the script in separate Lua states.
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  ${options.init}
end
shuffle = function(items)
  for i = #items, 2, -1 do
    local j = math.random(i)
    items[i], items[j] = items[j], items[i]
  end
end
request = function()
  return wrk.format(nil, nil, nil, ${options.body})
end
${WRK_RESULT_DONE}`;
}

const luaStrings = (values: readonly string[]) =>
  `{ ${values.map((value) => luaLongString(JSON.stringify(value))).join(', ')} }`;

/**
 * Lua definitions of `prefix` and `suffix`: the JSON body of `query` around its list variable
 * `name`, so a script joins the list's items between them without escaping anything in Lua.
 */
function bodyAroundList(query: string, name: string): string {
  const [prefix, suffix] = JSON.stringify({ query, variables: { [name]: ['\u0000'] } }).split('"\\u0000"');
  return `local prefix = ${luaLongString(prefix ?? '')}
local suffix = ${luaLongString(suffix ?? '')}`;
}

/** Writes a distinct-body script whose `next_body()` is defined by `definitions`; returns its path. */
function writeBodyScript(
  dir: string,
  name: string,
  headers: Record<string, string>,
  definitions: string,
): string {
  const path = join(dir, `${name}.lua`);
  writeFileSync(path, luaScript({ headers, definitions, init: '', body: 'next_body()' }));
  return path;
}

/** W1 distinct: writes the Lua script, returns its path. */
export function writeDistinctDashboardScript(
  dir: string,
  headers: Record<string, string>,
  clusterIds: readonly string[],
  name = 'w1-distinct',
): string {
  // Ids as JSON string literals, so the body is joined without escaping in Lua.
  return writeBodyScript(
    dir,
    name,
    headers,
    `local ids = ${luaStrings(clusterIds)}
${bodyAroundList(DASHBOARD_QUERY, 'ids')}
local next_body = function()
  shuffle(ids)
  return prefix .. table.concat(ids, ",") .. suffix
end`,
  );
}

/** `_entities` with varied representation sets: writes the Lua script, returns its path. */
export function writeEntitiesScript(
  dir: string,
  headers: Record<string, string>,
  keys: readonly EntityKeys[],
  name = 'entities',
  max = ENTITY_BATCH_MAX,
): string {
  const representations = representationsOf(keys).map((representation) => JSON.stringify(representation));
  return writeBodyScript(
    dir,
    name,
    headers,
    `local all = { ${representations.map(luaLongString).join(', ')} }
${bodyAroundList(ENTITIES_QUERY, 'representations')}
local next_body = function()
  shuffle(all)
  local count = math.random(math.min(${max}, #all))
  local chosen = {}
  for i = 1, count do chosen[i] = all[i] end
  return prefix .. table.concat(chosen, ",") .. suffix
end`,
  );
}
