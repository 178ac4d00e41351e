import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ServerProcess } from './server';

/** A graphql-ws client of `server` signed in with `token`, subscribed to `query`; resolves once connected. */
export function subscriber<T>(server: ServerProcess, token: string, query: string, onData: (data: T) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      retryAttempts: 0,
      on: { connected: () => resolve(client), closed: (event) => reject(new Error(`websocket closed: ${JSON.stringify(event)}`)) },
    });
    client.subscribe<T>({ query }, {
      next: (message) => {
        if (message.data) onData(message.data as T);
      },
      error: (error) => console.error('subscription error', error),
      complete: () => undefined,
    });
  });
}
