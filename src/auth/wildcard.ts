/**
 * RAM-style wildcard patterns over whole strings: `*` is any sequence (including `:` and `/`),
 * `?` is any one character, everything else is literal and case-sensitive.
 *
 * Matching never backtracks: a pattern is compiled once into the literal chunks between its
 * `*`s, and a subject is matched by placing each chunk at its leftmost possible position (which
 * is always safe for globs). Each chunk is a quantifier-free regular expression, so matching
 * costs O(subject × pattern) at worst, whatever the pattern.
 */

/** Longest accepted pattern. */
export const MAX_PATTERN_LENGTH = 256;

/**
 * Stands in a subject for a value the gateway does not know (an unconfigured account or
 * region, or "every cluster id"). Only `*` matches it (never `?` nor a literal, as patterns hold
 * printable ASCII only), so a pattern that matches a subject holding it matches that subject
 * whatever the value is.
 */
export const UNKNOWN_VALUE = '\u0000';

const PATTERN_CHARACTERS = /^[\x21-\x7e]*$/;

/**
 * `*`, `?`, one literal character, or (in subjects only, see `subjectTokens`) a hole: any
 * sequence of the characters its expression accepts, standing for a value the gateway does
 * not know but whose alphabet it does (a cluster id has no `:`).
 */
export type WildcardToken = '*' | '?' | { literal: string } | { hole: RegExp };

export class WildcardError extends Error {
  override readonly name = 'WildcardError';
}

export interface WildcardPattern {
  readonly source: string;
  readonly tokens: readonly WildcardToken[];
  /** Whether the pattern matches the whole subject; `UNKNOWN_VALUE` in it matches only `*`. */
  matches(subject: string): boolean;
}

interface Chunk {
  length: number;
  /** Sticky: does the chunk match at `lastIndex`? */
  at: RegExp;
  /** Global: where is the chunk's leftmost match from `lastIndex` on? */
  search: RegExp;
}

/** Compiles a pattern; throws WildcardError (naming the rule, quoting nothing) when it is unusable. */
export function compileWildcard(source: string): WildcardPattern {
  if (typeof source !== 'string') throw new WildcardError('must be a string');
  if (source.length === 0) throw new WildcardError('must not be empty');
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new WildcardError(`must be at most ${MAX_PATTERN_LENGTH} characters`);
  }
  if (!PATTERN_CHARACTERS.test(source)) {
    throw new WildcardError('must be printable ASCII without spaces');
  }
  const tokens = tokenize(source);
  const chunks = source.split(/\*+/).map(compileChunk);
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  const middle = chunks.slice(1, -1).filter((chunk) => chunk.length > 0);

  const matches = (subject: string): boolean => {
    if (chunks.length === 1) return subject.length === first.length && matchesAt(first, subject, 0);
    if (!matchesAt(first, subject, 0)) return false;
    const lastStart = subject.length - last.length;
    if (lastStart < first.length || !matchesAt(last, subject, lastStart)) return false;
    let position = first.length;
    for (const chunk of middle) {
      chunk.search.lastIndex = position;
      const found = chunk.search.exec(subject);
      if (!found || found.index + chunk.length > lastStart) return false;
      position = found.index + chunk.length;
    }
    return true;
  };
  return Object.freeze({ source, tokens: Object.freeze(tokens), matches });
}

function matchesAt(chunk: Chunk, subject: string, index: number): boolean {
  if (chunk.length === 0) return true;
  chunk.at.lastIndex = index;
  return chunk.at.test(subject);
}

function compileChunk(text: string): Chunk {
  let body = '';
  for (const character of text) {
    body += character === '?' ? '[^\\u0000]' : character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return { length: text.length, at: new RegExp(body, 'y'), search: new RegExp(body, 'g') };
}

function tokenize(source: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  for (const character of source) {
    if (character === '*') {
      if (tokens[tokens.length - 1] !== '*') tokens.push('*');
    } else if (character === '?') {
      tokens.push('?');
    } else {
      tokens.push({ literal: character });
    }
  }
  return tokens;
}

/** A part of a subject the gateway does not know: any run of characters `character` accepts. */
export interface Hole {
  hole: RegExp;
}

/** A hole for `subjectTokens`; `character` tests one character, e.g. `/[0-9]/`. */
export const hole = (character: RegExp): Hole => ({ hole: character });

/** Tokens of a subject made of known text and holes. */
export function subjectTokens(parts: readonly (string | Hole)[]): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') tokens.push(part);
    else for (const character of part) tokens.push({ literal: character });
  }
  return tokens;
}

/**
 * Whether some string matches both token lists: decides "may this pattern match, whatever the
 * unknown parts are?" (used for Deny, which applies on a possible match). Dynamic programming
 * over position pairs, O(|a| × |b|), no backtracking. A hole may also be empty, which only
 * widens the answer (safe for Deny).
 */
export function wildcardsOverlap(a: readonly WildcardToken[], b: readonly WildcardToken[]): boolean {
  const width = b.length + 1;
  const reached = new Uint8Array((a.length + 1) * width);
  const reach = (i: number, j: number) => {
    reached[i * width + j] = 1;
  };
  reached[0] = 1;
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      if (!reached[i * width + j]) continue;
      if (i === a.length && j === b.length) return true;
      const x = a[i];
      const y = b[j];
      // A star or a hole may match nothing.
      if (x !== undefined && isRepeating(x)) reach(i + 1, j);
      if (y !== undefined && isRepeating(y)) reach(i, j + 1);
      if (x === undefined || y === undefined) continue;
      // One character, produced by both sides; a repeating token stays where it is.
      const xRepeats = isRepeating(x);
      const yRepeats = isRepeating(y);
      if (xRepeats && yRepeats) continue; // consuming together changes nothing: covered by the skips
      if (!charactersMeet(x, y)) continue;
      reach(xRepeats ? i : i + 1, yRepeats ? j : j + 1);
    }
  }
  return false;
}

const isRepeating = (token: WildcardToken): boolean =>
  token === '*' || (typeof token === 'object' && 'hole' in token);

/** Whether one character can satisfy both tokens (not both repeating). */
function charactersMeet(x: WildcardToken, y: WildcardToken): boolean {
  if (x === '*' || y === '*' || x === '?' || y === '?') return true;
  if ('hole' in x && 'literal' in y) return x.hole.test(y.literal);
  if ('literal' in x && 'hole' in y) return y.hole.test(x.literal);
  return 'literal' in x && 'literal' in y && x.literal === y.literal;
}
