/**
 * wrk as the load generator: a separate C process, so its CPU is not the targets' and Node's
 * own client overhead does not cap the floor. POST bodies and the latency percentiles go
 * through a small Lua script (wrk's only way to set a body and to print its histogram).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuMs } from '../lib/proc.js';
import { run, start } from './processes.js';

export interface WrkResult {
  requests: number;
  durationS: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** wrk's own CPU use in % of one core: near 100 x threads, wrk (not the target) is the limit. */
  wrkCpuPercent: number;
  errors: { connect: number; read: number; write: number; status: number; timeout: number };
}

const RESULT_MARKER = 'BENCH_RESULT ';

/** wrk's `done`: once, with the merged histogram of all threads, one JSON line that runWrk reads. */
export const WRK_RESULT_DONE = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\n${RESULT_MARKER}{"requests":%d,"durationUs":%d,"p50Us":%.0f,"p99Us":%.0f,"maxUs":%.0f,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;

function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8', timeout: 5_000 });
  if (probe.error) return undefined;
  // `wrk -v` prints "wrk 4.1.0 [epoll] Copyright ..." and exits 1.
  return /^wrk\s+(\S+)/m.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? 'unknown version';
}

/** wrk's version; installs the Debian package when missing and we are root, else fails. */
export async function ensureWrk(log: (line: string) => void): Promise<string> {
  const found = wrkVersion();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('wrk is not on PATH and this is not root: install it (Debian: apt-get install -y wrk)');
  }
  log('wrk is not on PATH: installing the Debian package with apt-get install -y wrk');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get install wrk', 'apt-get', ['install', '-y', 'wrk'], 180_000, { env });
  try {
    await install();
  } catch {
    log('apt-get install failed: running apt-get update, then trying again');
    await run('apt-get update', 'apt-get', ['update'], 180_000, { env });
    await install();
  }
  const installed = wrkVersion();
  if (!installed) throw new Error('wrk is still not on PATH after apt-get install -y wrk');
  return installed;
}

/** A Lua long string that cannot be closed early by the body's own text. */
function luaLongString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}

/**
 * Writes the Lua script for one request shape; returns its path. With `ports`, wrk's threads are
 * spread round-robin over those loopback ports (each thread's connections go to one of them):
 * several replicas behind round-robin, without a proxy process taking CPU from them.
 */
export function writeWrkScript(
  dir: string,
  name: string,
  body: string,
  headers: Record<string, string>,
  ports?: readonly number[],
): string {
  const headerLines = Object.entries(headers)
    .map(
      (
        [key, value], // Spaces matter: `[[[` would open a long string.
      ) => `wrk.headers[ ${luaLongString(key)} ] = ${luaLongString(value)}`,
    )
    .join('\n');
  // `setup` runs once per thread before it connects; `thread.addr` is where that thread goes.
  const spread = ports?.length
    ? `
local targets = nil
local threads = 0
setup = function(thread)
  if targets == nil then
    targets = {}
    for _, port in ipairs({ ${ports.map((port) => `"${port}"`).join(', ')} }) do
      table.insert(targets, wrk.lookup("127.0.0.1", port)[1])
    end
  end
  threads = threads + 1
  thread.addr = targets[((threads - 1) % #targets) + 1]
end
`
    : '';
  // `done` runs once with the merged histogram of all threads; one JSON line is easy to find.
  const script = `wrk.method = "POST"
wrk.body = ${luaLongString(body)}
${headerLines}
${spread}
${WRK_RESULT_DONE}`;
  const path = join(dir, `${name}.lua`);
  writeFileSync(path, script);
  return path;
}

interface RawResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
}

export async function runWrk(options: {
  url: string;
  script: string;
  durationS: number;
  connections: number;
  threads: number;
}): Promise<WrkResult> {
  const { url, script, durationS, connections, threads } = options;
  const wrk = start('wrk', 'wrk', [
    `-t${threads}`,
    `-c${connections}`,
    `-d${durationS}s`,
    '--timeout',
    '10s',
    '-s',
    script,
    url,
  ]);
  const timer = setTimeout(() => wrk.child.kill('SIGKILL'), (durationS + 20) * 1000);
  // /proc/<pid> is gone once wrk exits, so keep the latest reading of its CPU time.
  let wrkCpuMs = 0;
  const sampler = setInterval(() => {
    try {
      wrkCpuMs = cpuMs(wrk.pid);
    } catch {
      // exited between two samples
    }
  }, 100);
  await wrk.exited;
  clearTimeout(timer);
  clearInterval(sampler);
  const line = wrk
    .output()
    .split('\n')
    .find((l) => l.startsWith(RESULT_MARKER));
  if (wrk.code !== 0 || !line) throw wrk.failure(`gave no result (exit ${String(wrk.code)})`);
  const raw = JSON.parse(line.slice(RESULT_MARKER.length)) as RawResult;
  const durationSeconds = raw.durationUs / 1e6;
  return {
    requests: raw.requests,
    durationS: durationSeconds,
    reqPerS: raw.requests / durationSeconds,
    p50Ms: raw.p50Us / 1000,
    p99Ms: raw.p99Us / 1000,
    maxMs: raw.maxUs / 1000,
    wrkCpuPercent: wrkCpuMs / 10 / durationSeconds,
    errors: {
      connect: raw.connect,
      read: raw.read,
      write: raw.write,
      status: raw.status,
      timeout: raw.timeout,
    },
  };
}
