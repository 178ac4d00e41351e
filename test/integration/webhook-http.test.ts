/**
 * The webhook sender against receivers that misbehave: one that never answers is timed
 * out, a redirect is not followed, a 50 MB answer is read no further than the limit.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postOnce } from '../../src/webhooks/http-post';

let server: http.Server;
let base: string;
const hits: string[] = [];
let bytesWritten = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    if (req.url === '/hang') return; // never answers
    if (req.url === '/slow-body') {
      res.writeHead(200);
      res.write('partial'); // and never ends
      return;
    }
    if (req.url === '/redirect') return void res.writeHead(307, { location: '/target' }).end();
    if (req.url === '/huge') {
      res.writeHead(500, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const total = 50 * 1024 * 1024;
      const pump = () => {
        while (bytesWritten < total) {
          bytesWritten += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      return pump();
    }
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 500, maxResponseBytes: 64 * 1024, allowPrivate: true };

it('times out a receiver that never answers, and one that never finishes its answer', async () => {
  const started = Date.now();
  const hang = await postOnce(new URL(`${base}/hang`), options);
  expect(hang).toMatchObject({ status: null, refused: false });
  expect(hang.error).toMatch(/within 500 ms/);
  expect(Date.now() - started).toBeLessThan(2_000);
  const slow = await postOnce(new URL(`${base}/slow-body`), options);
  expect(slow.error).toMatch(/within 500 ms/);
});

it('does not follow redirects', async () => {
  hits.length = 0;
  expect(await postOnce(new URL(`${base}/redirect`), options)).toMatchObject({ status: 307, error: null });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(hits).toEqual(['/redirect']);
});

it('reads no further than the limit of a 50 MB answer', async () => {
  const result = await postOnce(new URL(`${base}/huge`), { ...options, timeoutMs: 5_000 });
  expect(result.status).toBe(500);
  await new Promise((resolve) => setTimeout(resolve, 200));
  // The server stops once the socket is closed: a few buffers past 64 kB at most, never 50 MB.
  expect(bytesWritten).toBeLessThan(8 * 1024 * 1024);
});

it('refuses a loopback literal before connecting when private addresses are not allowed', async () => {
  hits.length = 0;
  const result = await postOnce(new URL(`${base}/ok`), { ...options, allowPrivate: false });
  expect(result).toMatchObject({ status: null, refused: true });
  expect(hits).toEqual([]);
});
