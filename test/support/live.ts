import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { TestServer, TestUser } from './server';

/**
 * An eager graphql-ws connection with a person's token: `connected` and `closed` (with the
 * close code) as promises, and `run` for one operation over it (its result or its errors).
 */
export function openSocket(target: TestServer, token: string) {
  let onConnected!: () => void;
  let onClosed!: (event: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: target.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { connected: () => onConnected(), closed: (event) => onClosed(event as { code: number; reason: string }) },
  });
  /** Runs one operation over the socket; resolves with its result or its errors. */
  const run = (query: string) =>
    new Promise<{ data?: unknown; errors?: { extensions?: Record<string, unknown> }[] }>((resolve) => {
      let result: { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] } = {};
      client.subscribe(
        { query },
        {
          next: (value) => (result = value as typeof result),
          error: (error) => resolve({ errors: Array.isArray(error) ? error : [{ extensions: { code: 'CLOSED' } }] }),
          complete: () => resolve(result),
        },
      );
    });
  return { client, connected, closed, run };
}

/** A real graphql-ws client on the server's /graphql path, authenticated like the apps do. */
export function wsClient(server: TestServer, user: TestUser | null, onClosed?: (event: unknown) => void): Client {
  return createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: user ? { authorization: `Bearer ${user.token}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: onClosed ? { closed: onClosed } : undefined,
  });
}

export interface Delivered<T> {
  data: T;
  /** performance.now() when the client received it */
  receivedAt: number;
}

/** One subscription's received events, errors and completion, with ways to wait for them. */
export class LiveSubscription<T> {
  readonly events: Delivered<T>[] = [];
  readonly errors: (GraphQLFormattedError | unknown)[] = [];
  completed = false;
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(client: Client, document: TypedDocumentNode<T, Record<string, unknown>>, variables: Record<string, unknown> = {}) {
    this.unsubscribe = client.subscribe<T>(
      { query: print(document), variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...result.errors);
          if (result.data) this.events.push({ data: result.data as T, receivedAt: performance.now() });
          this.notify();
        },
        error: (error) => {
          this.errors.push(Array.isArray(error) ? error[0] : error);
          this.notify();
        },
        complete: () => {
          this.completed = true;
          this.notify();
        },
      },
    );
  }

  /** Resolves with the first received event matching `predicate`, waiting for it if need be. */
  async next(predicate: (data: T) => boolean = () => true, timeoutMs = 10_000): Promise<Delivered<T>> {
    await this.until(() => this.events.some((event) => predicate(event.data)), timeoutMs, 'a matching event');
    return this.events.find((event) => predicate(event.data))!;
  }

  /** Waits until `condition` holds (checked whenever something arrives). */
  until(condition: () => boolean, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; received ${this.events.length} events, errors ${JSON.stringify(this.errors)}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Forgets what was received so far. */
  clear(): void {
    this.events.length = 0;
    this.errors.length = 0;
  }

  dispose(): void {
    this.unsubscribe();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export function subscribe<T, V extends Record<string, unknown>>(client: Client, document: TypedDocumentNode<T, V>, variables?: V): LiveSubscription<T> {
  return new LiveSubscription<T>(client, document as unknown as TypedDocumentNode<T, Record<string, unknown>>, variables);
}

/**
 * Proves a subscription is registered: repeats `probe` (which should cause an event) until
 * `arrived` sees it. graphql-ws does not acknowledge a subscribe, so a change made right
 * after subscribing could otherwise be published before the server listens.
 */
export async function waitUntilListening<T>(subscription: LiveSubscription<T>, probe: () => Promise<void>, arrived: (data: T) => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await probe();
    try {
      await subscription.next(arrived, 300);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
