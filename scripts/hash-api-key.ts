/**
 * Prints the SHA-256 (hex) of an API key, for `AUTH_API_KEYS`:
 *   npm run hash-api-key -- <key>         (the key lands in shell history and `ps`)
 *   printf %s "$KEY" | npm run --silent hash-api-key   (preferred)
 * One trailing newline on stdin is ignored. The key itself is never printed.
 */
import { hashApiKey } from '../src/auth/api-key.js';

/** Shorter keys can be guessed; generate keys with `openssl rand -base64 32`. */
const RECOMMENDED_MIN_LENGTH = 32;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const [argument, ...rest] = process.argv.slice(2);
if (rest.length > 0 || argument === '-h' || argument === '--help') {
  process.stderr.write(
    'usage: npm run hash-api-key -- <key>   or   printf %s "$KEY" | npm run hash-api-key\n',
  );
  process.exit(rest.length > 0 ? 2 : 0);
}
if (argument === undefined && process.stdin.isTTY) {
  process.stderr.write('Type the key, then Enter and Ctrl-D:\n');
}
const key = argument ?? (await readStdin());
if (key.length === 0) {
  process.stderr.write('error: empty key\n');
  process.exit(2);
}
if (key.length < RECOMMENDED_MIN_LENGTH) {
  process.stderr.write(
    `warning: the key is shorter than ${RECOMMENDED_MIN_LENGTH} characters; use e.g. openssl rand -base64 32\n`,
  );
}
process.stdout.write(`${hashApiKey(key)}\n`);
