import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** Sends raw bytes and resolves with what came back before the server closed (or `waitMs`). */
function raw(
  url: string,
  bytes: string,
  waitMs = 3_000,
): Promise<{ text: string; closed: boolean; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false, ms: Date.now() - started });
    }, waitMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true, ms: Date.now() - started });
    });
    socket.on('error', () => {});
    socket.write(bytes);
  });
}

const QUERY = JSON.stringify({ query: '{ __typename }' });

describe('CORS', () => {
  it('never allows Origin: null unless listed, answers only listed origins with their own name, and varies by Origin', async () => {
    gateway = await startTestGateway({ app: { corsOrigins: ['https://a.example', 'https://b.example'] } });
    const url = await gateway.listen();
    const ask = (origin: string) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: QUERY,
      });
    for (const origin of ['null', 'https://evil.example']) {
      const response = await ask(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
    }
    const listed = await ask('https://b.example');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(listed.headers.get('vary')).toMatch(/\bOrigin\b/);
    // A preflight from a listed origin, with the headers a browser asks for.
    const preflight = await fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://a.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://a.example');
    expect(preflight.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('allows Origin: null when it is listed literally', async () => {
    gateway = await startTestGateway({ app: { corsOrigins: ['null', 'https://a.example'] } });
    const url = await gateway.listen();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'null' },
      body: QUERY,
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('null');
  });
});

describe('the HTTP server', () => {
  it('declares the length of an answer with text beyond ASCII in bytes', async () => {
    gateway = await startTestGateway();
    const url = await gateway.listen();
    // graphql-js quotes the rejected value in its error: the answer holds two 3-byte characters.
    // (Sent escaped, so the request itself is ASCII.)
    const body = JSON.stringify({
      query: 'query($v: Boolean!) { __typename @include(if: $v) }',
      variables: { v: '名前' },
    }).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const answer = await raw(
      url,
      `POST /graphql HTTP/1.1\r\nHost: gateway.test\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    );
    const [head = '', sent = ''] = answer.text.split('\r\n\r\n');
    expect(Number(/^content-length: (\d+)$/im.exec(head)?.[1])).toBe(sent.length);
    expect(Buffer.from(sent, 'latin1').toString('utf8')).toContain('名前');
  });

  it('answers a malformed Host with 400 BAD_REQUEST, never 500', async () => {
    gateway = await startTestGateway();
    const url = await gateway.listen();
    for (const path of ['/graphql', '/health']) {
      const method = path === '/graphql' ? 'POST' : 'GET';
      const body = method === 'POST' ? QUERY : '';
      const answer = await raw(
        url,
        `${method} ${path} HTTP/1.1\r\nHost: a b\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
      );
      expect(answer.text).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer.text).toContain('"BAD_REQUEST"');
    }
  });

  it('cuts off a client that sends its body too slowly, after the request timeout', async () => {
    gateway = await startTestGateway({ server: { headersTimeoutMs: 300, requestTimeoutMs: 600 } });
    const url = await gateway.listen();
    const { hostname, port } = new URL(url);
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => {});
      socket.on('close', () => resolve(Date.now() - started));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
      );
      // A byte now and then, never the whole body.
      const drip = setInterval(() => socket.write(' '), 100);
      socket.on('close', () => clearInterval(drip));
      setTimeout(() => socket.destroy(), 5_000);
    });
    expect(closed).toBeGreaterThanOrEqual(500);
    expect(closed).toBeLessThan(3_000);
    // Others are served meanwhile and after.
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('holds at most maxConnections sockets: the next one is closed at once', async () => {
    gateway = await startTestGateway({ server: { maxConnections: 2 } });
    const url = await gateway.listen();
    const { hostname, port } = new URL(url);
    const open = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const socket = connect(Number(port), hostname, () => resolve(socket));
            socket.on('error', () => {});
          }),
      ),
    );
    const third = await raw(url, 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n', 1_500);
    expect(third.closed).toBe(true);
    expect(third.text).toBe('');
    for (const socket of open) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });
});
