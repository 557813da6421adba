/**
 * A short `npm run soak` (scripts/soak.ts) as part of `npm test`: it builds the gateway, runs it
 * as its own process against the simulator with faults on a quarter of the clusters, then floods
 * it with distinct ~90 KB bodies, and must pass: no lost answer, no collateral error, memory
 * within its bounds. Seeded: the faults (which clusters, which kinds, when) replay exactly; the
 * probes' mix too, though which answers overlap which fault still depends on timing.
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Past this the soak is asked to stop (SIGTERM), so a hung soak fails the test with its output
 * rather than with vitest's timeout. A normal run takes ~40 s here, the build included.
 */
const SOAK_TIMEOUT_MS = 200_000;
const TEST_TIMEOUT_MS = 240_000;

const SHORT_SOAK_ENV = {
  SOAK_DURATION_S: '6',
  SOAK_FLOOD_S: '5',
  SOAK_WARMUP_S: '2',
  // The soak's default: workers mostly wait (a request touching a slow cluster takes seconds).
  SOAK_CONCURRENCY: '16',
  // Its two fault periods cover all six rotated faults (slow, throttled, non-json; then
  // forbidden, server-error, unavailable) and two latency spikes.
  SOAK_SEED: '1366',
  SOAK_FAULT_PERIOD_S: '5',
  // Built here: dist may be older than the sources under test.
  SOAK_SKIP_BUILD: '0',
};

function runSoak(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/soak.ts'], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    // SIGTERM asks the soak to stop (and stop its gateway); a second one, later, aborts at once.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGTERM'), 2_000).unref();
    }, SOAK_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

describe('npm run soak, short', () => {
  it(
    'passes with faults on a quarter of the clusters and a distinct-body flood',
    async () => {
      const { code, output } = await runSoak(SHORT_SOAK_ENV);
      const summary = output.slice(output.indexOf('--- soak summary'));
      // On failure, the whole output explains it (the details above the summary included).
      const explain = `soak output:\n${output}`;
      expect(output, explain).toContain('--- soak summary');
      expect(summary, explain).toMatch(/^mixed: [1-9]\d* requests .*, lost 0, collateral 0,/m);
      expect(summary, explain).toMatch(/^flood: [1-9]\d* requests .*, lost 0, collateral 0,/m);
      expect(summary, explain).toMatch(/^mixed RSS: start [\d.]+ MB, peak [\d.]+ MB, end [\d.]+ MB/m);
      expect(summary, explain).toMatch(/^flood RSS: start [\d.]+ MB, peak [\d.]+ MB, end [\d.]+ MB/m);
      expect(summary, explain).toMatch(/^soak: PASS$/m);
      expect(code, explain).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
