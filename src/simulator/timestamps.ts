/**
 * ACK's timestamp spellings, all in China Standard Time (+08:00):
 * node pool `created` with nanoseconds (`2025-04-15T16:33:29.362888807+08:00`), node pool
 * `updated` with milliseconds (`2025-04-15T16:33:32.823+08:00`), cluster times with seconds
 * (`2025-04-15T16:33:29+08:00`).
 */

const OFFSET_MS = 8 * 60 * 60 * 1000;

/** The fixed "now" of the fixtures: every generated time lies before it. */
export const FIXTURE_NOW_MS = Date.UTC(2025, 5, 30, 4, 0, 0);

function localIso(epochMs: number): string {
  // toISOString of the shifted instant gives the wall-clock time at +08:00, ending in ".mmmZ".
  return new Date(Math.floor(epochMs) + OFFSET_MS).toISOString();
}

/** `2025-04-15T16:33:29+08:00` */
export function formatSeconds(epochMs: number): string {
  return `${localIso(epochMs).slice(0, 19)}+08:00`;
}

/** `2025-04-15T16:33:32.823+08:00` */
export function formatMillis(epochMs: number): string {
  return `${localIso(epochMs).slice(0, 23)}+08:00`;
}

/**
 * `2025-04-15T16:33:29.362888807+08:00`: the milliseconds of `epochMs` followed by six more
 * digits of sub-millisecond precision (`subMillisNanos`, 0..999999).
 */
export function formatNanos(epochMs: number, subMillisNanos: number): string {
  const extra = String(Math.trunc(subMillisNanos) % 1_000_000).padStart(6, '0');
  return `${localIso(epochMs).slice(0, 23)}${extra}+08:00`;
}
