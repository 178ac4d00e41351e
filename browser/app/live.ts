// The socket for live data (graphql-ws): reconnects for ever, each time with a fresh token,
// and tells the page whether it is connected.
import { createClient, type Client } from 'graphql-ws';
import { freshAccessToken } from './auth';

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

let state: LiveState = 'connecting';
const listeners = new Set<(state: LiveState) => void>();

function setState(next: LiveState) {
  state = next;
  for (const listener of listeners) listener(next);
}

export const liveState = {
  get current() { return state; },
  subscribe(listener: (state: LiveState) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function createLiveClient(): Client {
  let connectedOnce = false;
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.href,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    // 1 s, 2 s, 4 s ... at most 30 s, with jitter so a restarted server is not hit at once.
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries) * (0.5 + Math.random() / 2))),
    connectionParams: async () => {
      const token = await freshAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => setState(connectedOnce ? 'reconnecting' : 'connecting'),
      connected: () => {
        connectedOnce = true;
        setState('connected');
      },
      closed: () => {
        if (connectedOnce) setState('reconnecting');
      },
    },
  });
}
