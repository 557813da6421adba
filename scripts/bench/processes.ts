/**
 * Child processes of the bench: every one is tracked so that an error, Ctrl-C or a normal end
 * leaves nothing running, and every wait on a child is bounded in time.
 */
import { type ChildProcess, fork, type SpawnOptions, spawn } from 'node:child_process';
import { isReply, type Reply } from './protocol.js';

/** How much of a child's output is kept to explain a failure. */
const OUTPUT_TAIL_CHARS = 8_000;

export class Managed {
  private tail = '';
  private exitCode: number | null | undefined;
  private nextId = 1;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    if (child.pid === undefined) throw new Error(`${name} did not start`);
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? 128 : null);
        live.delete(this);
        resolve();
      });
    });
    live.add(this);
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

  /** A failure that names the child and shows what it last printed. */
  failure(what: string): Error {
    const out = this.output();
    return new Error(`${this.name} (pid ${this.pid}) ${what}${out ? `; its last output:\n${out}` : ''}`);
  }

  /** Waits for the first IPC message that passes `accept`, or fails on timeout or exit. */
  message<T>(accept: (message: unknown) => message is T, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const done = (action: () => void) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        action();
      };
      const onMessage = (message: unknown) => {
        if (accept(message)) done(() => resolve(message));
      };
      const onExit = () => done(() => reject(this.failure(`exited while waiting for ${what}`)));
      const timer = setTimeout(
        () => done(() => reject(this.failure(`gave no ${what} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  /** Sends one request over IPC and waits for the reply with the same id. */
  async request(body: Record<string, unknown>, timeoutMs = 10_000): Promise<Reply> {
    const id = this.nextId++;
    const waiting = this.message(
      (m): m is Reply => isReply(m) && m.id === id,
      timeoutMs,
      `reply to ${String(body.op)}`,
    );
    this.child.send({ ...body, id });
    const reply = await waiting;
    if (reply.error) throw this.failure(`failed ${String(body.op)}: ${reply.error}`);
    return reply;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

const live = new Set<Managed>();

/** Kills every child still running; synchronous so it can run in an 'exit' handler. */
export function killAll(): void {
  for (const managed of live) {
    try {
      process.kill(managed.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((managed) => managed.stop(3_000)));
}

export function start(name: string, command: string, args: string[], options: SpawnOptions = {}): Managed {
  return new Managed(name, spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options }));
}

/** Forks a TypeScript module under tsx's loader, with an IPC channel. */
export function forkTs(name: string, modulePath: string, cwd: string, env: NodeJS.ProcessEnv): Managed {
  // `--import tsx` resolves from cwd, so cwd must be the repository (where node_modules/tsx is).
  return new Managed(
    name,
    fork(modulePath, [], {
      cwd,
      env,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
}

/** Runs a command to completion within `timeoutMs`; resolves with its output, rejects on failure. */
export async function run(
  name: string,
  command: string,
  args: string[],
  timeoutMs: number,
  options: SpawnOptions = {},
): Promise<string> {
  const managed = start(name, command, args, options);
  const timer = setTimeout(() => managed.child.kill('SIGKILL'), timeoutMs);
  await managed.exited;
  clearTimeout(timer);
  if (managed.code !== 0)
    throw managed.failure(`failed (exit ${String(managed.code)}, limit ${timeoutMs} ms)`);
  return managed.output();
}
