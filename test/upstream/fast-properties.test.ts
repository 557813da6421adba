import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The compiled executor reads the parsed objects' keys inline (`pool.scaling_group.desired_size`),
 * ~4,400 reads per dashboard answer. Built key by key, an object of about twenty keys or more is
 * a dictionary in V8 (a hash lookup per read), and those were a node pool and its scaling group:
 * a sixth of a distinct dashboard answer's CPU. V8 says which objects are dictionaries only to a
 * process started with --allow-natives-syntax, hence the child.
 */
describe('parsed ACK objects', () => {
  it('have fast properties and one hidden class per table, parsed or read back from the shared tier', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', 'test/helpers/fast-properties-child.ts'],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } },
    );
    const report = JSON.parse(stdout) as {
      objects: number;
      dictionaries: string[];
      differentClasses: string[];
    };
    // Clusters (detail and list entry) and node pools with everything they nest.
    expect(report.objects).toBeGreaterThan(300);
    expect(report.dictionaries).toEqual([]);
    expect(report.differentClasses).toEqual([]);
  });
});
