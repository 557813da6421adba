/**
 * The node flags `npm start` and the Dockerfile run the gateway with (package.json
 * `config.nodeFlags`), for the scripts that start `node dist/main.js` themselves (bench, soak):
 * what they measure is the gateway as it runs in production.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function gatewayNodeFlags(repo: string): string[] {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    config?: { nodeFlags?: string };
  };
  return (pkg.config?.nodeFlags ?? '').split(/\s+/).filter(Boolean);
}
