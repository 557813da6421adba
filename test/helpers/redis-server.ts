import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../scripts/lib/proc.js';

/** Whether Debian's `redis-server` is installed (`.ci/run` installs it). */
export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

export interface TestRedis {
  port: number;
  url: string;
  /**
   * A plain client for the test's own checks (keys, TTLs, ACL set-up), on database `db`. Take
   * another database through this, never with SELECT: after a reconnect ioredis selects it again
   * with a promise nobody handles, which rejects unhandled if the client closes before Redis
   * answers.
   */
  client: (db?: number) => Redis;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill: () => Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * A `redis-server` of the test's own on a free loopback port, with a temporary directory and no
 * persistence (`--save '' --appendonly no`); `stop()` ends it and removes the directory.
 */
export async function startRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ack-gateway-redis-'));
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];

  const launch = async () => {
    const started = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
    started.stdout?.resume();
    started.stderr?.resume();
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGKILL');
    await once(running, 'exit');
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    client: (db = 0) => {
      const client = new Redis({ port, host: '127.0.0.1', db, lazyConnect: false, maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    kill,
    restart: launch,
    stop: async () => {
      // QUIT waits for the replies still due (a disconnect would reject them); a client that
      // cannot reach Redis any more is cut off after a second.
      await Promise.all(
        clients.map((client) =>
          Promise.race([
            client.quit().catch(() => {}),
            new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
          ]).finally(() => client.disconnect()),
        ),
      );
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
