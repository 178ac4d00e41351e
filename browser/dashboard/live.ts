// The board's websocket: graphql-ws on /graphql, reconnecting for as long as the
// page is open. Events are at most once (README, "Delivery is at most once"), so
// every (re)connection is followed by a resynchronisation through the sessions query.
import type { Client } from 'graphql-ws';
import { accessToken, refresh } from './api.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

/** One subscription on the shared socket. */
export interface LiveSubscription {
  query: string;
  variables?: Record<string, unknown>;
  onEvent(data: unknown): void;
}

export interface LiveOptions {
  subscriptions: LiveSubscription[];
  /** After every successful (re)connection: load the truth again. */
  onConnected(): void;
  onState(state: ConnectionState): void;
  /** The server refused the token and refreshing it failed: the person must sign in again. */
  onSignedOut(): void;
}

// 4403: refused at connect; 4401: the token expired or its person signed out everywhere.
const REFUSED = new Set([4401, 4403]);

export function startLive(options: LiveOptions): { stop(): void } {
  let signedOut = false;
  let everConnected = false;
  const client: Client = graphqlWs.createClient({
    url: new URL('/graphql', location.href).href.replace(/^http/, 'ws'),
    lazy: true, // connects with the subscription below, and again whenever it is resubscribed
    // Fresh on every attempt, so a token refreshed meanwhile is used.
    connectionParams: async () => {
      const token = await accessToken().catch(() => null);
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: () => !signedOut,
    // Quick at first (a restarting server is back in a second or two), then every 5 s at most.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5_000) + Math.random() * 250)),
    keepAlive: 15_000,
    on: {
      connected: () => {
        everConnected = true;
        options.onState('live');
        options.onConnected();
      },
      closed: (event) => {
        if (signedOut) return;
        options.onState(everConnected ? 'reconnecting' : 'connecting');
        if (REFUSED.has((event as CloseEvent | undefined)?.code ?? 0)) {
          // The token was refused: refresh it for the next attempt, or give up and sign in again.
          void refresh().then(
            (ok) => {
              if (!ok) {
                signedOut = true;
                void client.dispose();
                options.onSignedOut();
              }
            },
            () => undefined, // the server is unreachable: the retries go on
          );
        }
      },
    },
  });
  // A subscription the server ends with an error (not a dropped socket: those are retried) is started again.
  const unsubscribers: (() => void)[] = [];
  const subscribe = (sub: LiveSubscription, slot: number) => {
    unsubscribers[slot] = client.subscribe(
      { query: sub.query, variables: sub.variables },
      {
        next: (result) => {
          if (result.data) sub.onEvent(result.data);
        },
        // Also after a 4401, which graphql-ws does not retry by itself: the next attempt takes a fresh token.
        error: () => {
          if (!signedOut) setTimeout(() => subscribe(sub, slot), 500);
        },
        complete: () => undefined,
      },
    );
  };
  options.subscriptions.forEach(subscribe);
  return {
    stop() {
      signedOut = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
      void client.dispose();
    },
  };
}
