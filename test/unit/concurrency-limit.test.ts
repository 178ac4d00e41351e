import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ResolverWork } from '../../src/graphql/resolver-work';
import { concurrencyLimit, holdSlot } from '../../src/http/concurrency-limit';
import { whileWaiting } from '../../src/runtime/concurrency-limit';

/** A real HTTP server whose handler holds each request until the test lets it go. */
async function serve(max: number, maxWaiting = 100) {
  const held: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const seen: string[] = [];
  const app = express();
  const busy = (res: express.Response) => void res.status(503).send('busy');
  app.get('/', concurrencyLimit({ max, maxWaiting, busy }), (req, res) => {
    seen.push(String(req.query.n));
    running += 1;
    peak = Math.max(peak, running);
    held.push(() => {
      running -= 1;
      res.send(String(req.query.n));
    });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const get = (n: number, signal?: AbortSignal) => fetch(`${url}?n=${n}`, { signal }).then((r) => r.text());
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return {
    held,
    seen,
    peak: () => peak,
    get,
    status: (n: number) => fetch(`${url}?n=${n}`).then((r) => r.status),
    /** Starts the requests 20 ms apart, so that they arrive in this order. */
    inOrder: async (ns: number[], onAnswer: (text: string) => void = () => undefined) => {
      const started: Promise<string>[] = [];
      for (const n of ns) {
        started.push(get(n).then((text) => (onAnswer(text), text)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return started;
    },
    until,
    releaseAll: async (count: number) => {
      for (let released = 0; released < count; released += 1) {
        await until(() => held.length > 0);
        held.shift()!();
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections(); // fetch keeps connections alive
    }),
  };
}

describe('concurrencyLimit', () => {
  it('runs at most max requests at once and the others in arrival order', async () => {
    const server = await serve(2);
    const answers: string[] = [];
    const requests = await server.inOrder([1, 2, 3, 4, 5], (text) => answers.push(text));
    await server.until(() => server.held.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.held.length).toBe(2); // 3, 4 and 5 wait
    await server.releaseAll(5);
    await Promise.all(requests);
    expect(server.peak()).toBe(2);
    expect(answers.slice(2)).toEqual(['3', '4', '5']);
    await server.close();
  });

  it('drops a request whose client gave up while waiting, without losing its place to others', async () => {
    const server = await serve(1);
    const first = server.get(1);
    await server.until(() => server.held.length === 1);
    const abandon = new AbortController();
    const gaveUp = server.get(2, abandon.signal).catch(() => 'aborted');
    const third = server.get(3);
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandon.abort();
    expect(await gaveUp).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.releaseAll(2);
    expect([await first, await third]).toEqual(['1', '3']);
    expect(server.seen).toEqual(['1', '3']);
    expect(server.peak()).toBe(1);
    await server.close();
  });

  it('answers at once, without running it, a request that finds the line full', async () => {
    const server = await serve(1, 2);
    const queued = await server.inOrder([1, 2, 3]);
    await server.until(() => server.held.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await server.status(4)).toBe(503);
    await server.releaseAll(3);
    expect(await Promise.all(queued)).toEqual(['1', '2', '3']);
    expect(server.seen).toEqual(['1', '2', '3']);
    await server.close();
  });

  it('lets a request step out of its turn while it waits (whileWaiting), behind a JSON body parser, and come back ahead of new ones', async () => {
    const order: string[] = [];
    let finishKdf!: () => void;
    const kdf = new Promise<void>((resolve) => (finishKdf = resolve));
    const held: (() => void)[] = [];
    const app = express();
    app.post('/', concurrencyLimit({ max: 1, maxWaiting: 10, busy: (res) => void res.status(503).send('busy') }), express.json(), async (req, res) => {
      const name = (req.body as { name: string }).name;
      order.push(`${name} started`);
      if (name === 'sign-in') {
        await whileWaiting(() => kdf);
        order.push('sign-in resumed');
        res.send(name);
      } else {
        held.push(() => {
          order.push(`${name} done`);
          res.send(name);
        });
      }
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const post = (name: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) }).then((r) => r.text());
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    try {
      const signIn = post('sign-in');
      await until(() => order.includes('sign-in started'));
      // The only turn is free while the sign-in waits: another request runs.
      const other = post('other');
      await until(() => held.length === 1);
      // The KDF ends while `other` holds the turn; a newcomer arrives: the sign-in goes first.
      finishKdf();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const newcomer = post('newcomer');
      await new Promise((resolve) => setTimeout(resolve, 50));
      held.shift()!();
      await until(() => held.length === 1);
      held.shift()!();
      expect(await Promise.all([signIn, other, newcomer])).toEqual(['sign-in', 'other', 'newcomer']);
      expect(order).toEqual(['sign-in started', 'other started', 'other done', 'sign-in resumed', 'newcomer started', 'newcomer done']);
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  });
});

describe('holdSlot', () => {
  it('keeps a slot taken after the response went out, until the work held on it settles', async () => {
    let finishWork!: () => void;
    const work = new Promise<void>((resolve) => (finishWork = resolve));
    const seen: string[] = [];
    const app = express();
    app.get('/', concurrencyLimit({ max: 1, maxWaiting: 10, busy: (res) => void res.status(503).send('busy') }), (req, res) => {
      seen.push(String(req.query.n));
      if (req.query.n === '1') {
        // A response decided early while resolvers of the same request still run.
        const resolvers = new ResolverWork();
        holdSlot(res, resolvers.idle);
        resolvers.track(work);
        resolvers.end();
      }
      res.send(String(req.query.n));
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      expect(await fetch(`${url}?n=1`).then((r) => r.text())).toBe('1');
      const second = fetch(`${url}?n=2`).then((r) => r.text());
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual(['1']); // the first request's work still holds the only slot
      finishWork();
      expect(await second).toBe('2');
      expect(seen).toEqual(['1', '2']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
