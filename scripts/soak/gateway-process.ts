/**
 * The gateway under soak: built once, run as its own process (`node dist/main.js`), probed on
 * /health, sampled for RSS from /proc, and always stopped (SIGTERM, then SIGKILL).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { gatewayNodeFlags } from '../lib/node-flags.js';
import { cpuMs } from '../lib/proc.js';

/** How much of the gateway's output is kept to explain a failure. */
const OUTPUT_TAIL_CHARS = 8_000;

/** Runs `npm run build` in `repo`, bounded in time; rejects with its output on failure. */
export function build(repo: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`npm run build failed (${signal ?? `exit ${code}`}):\n${output.trim()}`));
    });
  });
}

export class GatewayProcess {
  private tail = '';
  private partial = '';
  private exitCode: number | null | undefined;
  /** Log lines by `level msg`, so the report can say what the gateway complained about. */
  readonly logCounts = new Map<string, number>();
  readonly exited: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.read(chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        resolve();
      });
    });
  }

  /**
   * Starts `node dist/main.js` as `npm start` does (package.json `config.nodeFlags`), with
   * exactly `env` (nothing inherited but PATH and HOME).
   */
  static start(repo: string, port: number, env: Record<string, string>): GatewayProcess {
    const child = spawn(process.execPath, [...gatewayNodeFlags(repo), 'dist/main.js'], {
      cwd: repo,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new Error('the gateway did not start');
    return new GatewayProcess(child, `http://127.0.0.1:${port}`);
  }

  private read(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.tail = (this.tail + text).slice(-OUTPUT_TAIL_CHARS);
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      let key = `raw ${line.slice(0, 120)}`;
      try {
        const entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
        key = `${String(entry.level)} ${String(entry.msg).slice(0, 120)}`;
      } catch {
        // not a log line of pino: count it as it is
      }
      this.logCounts.set(key, (this.logCounts.get(key) ?? 0) + 1);
    }
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  get code(): number | null | undefined {
    return this.exitCode;
  }

  output(): string {
    return this.tail.trim();
  }

  /** Waits until /health answers 200, failing when the process exits or time runs out. */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const until = performance.now() + timeoutMs;
    while (performance.now() < until) {
      if (!this.running) throw new Error(`the gateway exited (${this.exitCode}):\n${this.output()}`);
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the gateway was not healthy within ${timeoutMs} ms:\n${this.output()}`);
  }

  /** SIGTERM (graceful shutdown), then SIGKILL after `graceMs`; resolves with how it ended. */
  async stop(graceMs: number): Promise<{ code: number | null | undefined; forced: boolean }> {
    if (!this.running) return { code: this.exitCode, forced: false };
    this.child.kill('SIGTERM');
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      this.child.kill('SIGKILL');
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
    return { code: this.exitCode, forced };
  }

  /** Synchronous last resort for 'exit' handlers. */
  kill(): void {
    if (!this.running) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** CPU time (user + system) a process has used, in seconds, or undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    return cpuMs(pid) / 1000;
  } catch {
    return undefined;
  }
}
