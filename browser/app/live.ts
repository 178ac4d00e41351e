// The socket for live data (graphql-ws): reconnects for ever, each time with a fresh token,
// and tells the page whether it is connected.
import { createClient, type Client } from 'graphql-ws';
import { freshAccessToken } from './auth';

export type LiveState = 'connecting' | 'connected' | 'reconnecting';

let state: LiveState = 'connecting';
const listeners = new Set<(state: LiveState) => void>();
const reconnectListeners = new Set<() => void>();

/** Called each time the socket is connected again after a drop. */
export function onReconnect(listener: () => void): void {
  reconnectListeners.add(listener);
}

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

/** A ping every 10 s; no pong 5 s later means the network is gone (phones drop sockets silently). */
const PING_MS = 10_000;
const PONG_TIMEOUT_MS = 5_000;

export function createLiveClient(): Client {
  let connectedOnce = false;
  let socket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.href,
    lazy: true,
    keepAlive: PING_MS,
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
      connected: (connected) => {
        socket = connected as WebSocket;
        const again = connectedOnce;
        connectedOnce = true;
        setState('connected');
        if (again) for (const listener of reconnectListeners) listener();
      },
      closed: () => {
        clearTimeout(pongTimer);
        if (connectedOnce) setState('reconnecting');
      },
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => {
          // Said at once: over a dead network the close handshake itself may take long.
          setState('reconnecting');
          if (socket?.readyState === WebSocket.OPEN) socket.close(4408, 'Pong timeout');
        }, PONG_TIMEOUT_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });
}
