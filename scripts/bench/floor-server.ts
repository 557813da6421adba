/**
 * The floor: the cheapest server that gives the gateway's exact answer. It reads the request
 * body (a real server must) and writes canned bytes, so gateway/floor isolates what GraphQL
 * parsing, validation, execution and serialisation cost on top of Node's HTTP stack.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isFloorRequest, type ReadyFloor, type Reply } from './protocol.js';

const send = process.send?.bind(process);
if (!send) {
  console.error('floor-server.ts must be forked with an IPC channel (it is started by scripts/bench.ts)');
  process.exit(1);
}

interface Canned {
  contentType: string;
  bytes: Buffer;
}

let routes = new Map<string, Canned>();

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const canned = routes.get(Buffer.concat(chunks).toString('utf8'));
    if (!canned) {
      // A non-200 makes wrk count an error, which the bench reports as a failure.
      res.writeHead(404, { 'content-type': 'text/plain' }).end('unknown request body');
      return;
    }
    res.writeHead(200, { 'content-type': canned.contentType, 'content-length': canned.bytes.length });
    res.end(canned.bytes);
  });
});

process.on('message', (message: unknown) => {
  if (!isFloorRequest(message)) return;
  routes = new Map(
    message.routes.map((route) => [
      route.requestBody,
      { contentType: route.contentType, bytes: Buffer.from(route.responseBase64, 'base64') },
    ]),
  );
  const reply: Reply = { type: 'reply', id: message.id };
  send(reply);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

server.listen(0, '127.0.0.1', () => {
  const ready: ReadyFloor = { type: 'ready', port: (server.address() as AddressInfo).port };
  send(ready);
});
