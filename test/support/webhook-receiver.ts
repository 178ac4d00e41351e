import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Parsed body. */
  json: { type: string; timestamp: string; data: Record<string, unknown> };
  receivedAt: number;
}

/** What the receiver does with the n-th request (0-based): a status, or a custom handler. */
export type Answer = number | ((req: http.IncomingMessage, res: http.ServerResponse) => void);

/**
 * A real HTTP receiver on 127.0.0.1, as an integrator would run: records each request with
 * its raw body and answers by `answer(n)` (200 unless told).
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  answer: (n: number) => Answer = () => 200;
  private readonly server: http.Server;
  private count = 0;
  private waiters = new Set<() => void>();

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        let json: ReceivedHook['json'];
        try {
          json = JSON.parse(body);
        } catch {
          json = { type: 'unparseable', timestamp: '', data: {} };
        }
        this.received.push({ path: req.url ?? '', headers, body, json, receivedAt: Date.now() });
        const answer = this.answer(this.count++);
        if (typeof answer === 'number') res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
        else answer(req, res);
        for (const waiter of [...this.waiters]) waiter();
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hooks'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Waits until `condition` holds, checked on every request and every 50 ms. */
  async until(condition: () => boolean, timeoutMs = 10_000, what = 'the webhooks'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; received ${this.received.length}: ${this.received.map((r) => r.json.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, 50);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
        setTimeout(() => this.waiters.delete(done), 60);
      });
    }
  }

  ofType(type: string): ReceivedHook[] {
    return this.received.filter((hook) => hook.json.type === type);
  }

  clear(): void {
    this.received.length = 0;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
