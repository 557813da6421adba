/**
 * Per-process memory and CPU from Linux's /proc, so each process (gateway, simulator, floor) is
 * measured on its own and the load generator's cost never counts against it; and a free port.
 * Shared by `npm run bench` and `npm run soak`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** VmRSS of a process in KiB, or undefined when it is gone. */
export const rssKb = (pid: number): number | undefined => statusKb(pid, 'VmRSS');

/** A port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** User + system CPU time the process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime/stime are 14/15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Watches peak RSS of some processes over a span: the kernel's high-water mark (VmHWM, reset at
 * the start with clear_refs when `resetPeak`, so an earlier workload's peak does not leak into
 * this one) and, in case the reset is not permitted, VmRSS sampled every 100 ms.
 */
export class PeakRss {
  private readonly sampled = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: number[],
    resetPeak: boolean,
  ) {
    for (const pid of pids) {
      if (resetPeak) {
        try {
          writeFileSync(`/proc/${pid}/clear_refs`, '5');
        } catch {
          // Not permitted here: the 100 ms samples still bound the peak from below.
        }
      }
      this.sampled.set(pid, statusKb(pid, 'VmRSS') ?? 0);
    }
    this.timer = setInterval(() => this.sample(), 100);
    // Never the reason the bench stays alive after a failure.
    this.timer.unref();
  }

  private sample(): void {
    for (const pid of this.pids) {
      const rss = statusKb(pid, 'VmRSS') ?? 0;
      if (rss > (this.sampled.get(pid) ?? 0)) this.sampled.set(pid, rss);
    }
  }

  /** Stops sampling; peak RSS per pid in MB (MiB). */
  stop(): Map<number, number> {
    clearInterval(this.timer);
    this.sample();
    return new Map(
      this.pids.map((pid) => [pid, Math.max(this.sampled.get(pid) ?? 0, statusKb(pid, 'VmHWM') ?? 0) / 1024]),
    );
  }
}

/** VmHWM (the kernel's peak RSS since start or the last reset) of a process in KiB, or undefined. */
export const peakRssKb = (pid: number): number | undefined => statusKb(pid, 'VmHWM');

/** Resets a process's VmHWM to its current RSS (clear_refs 5); false when that is not permitted. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
