// The app's GraphQL client: urql with a normalized cache (graphcache), tokens on every
// request (refreshed when needed) and subscriptions over graphql-ws on the same endpoint.
import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { cacheExchange } from '@urql/exchange-graphcache';
import { expiresSoon, refreshTokens, tokens } from './auth';
import { cacheConfig } from './cache';
import { createLiveClient, onReconnect } from './live';
import { refetchOnReconnectExchange } from './refetch-on-reconnect';

/** The client and its socket; dispose() closes the socket. */
export function createAppClient(): { client: Client; dispose(): void } {
  const live = createLiveClient();
  const client = new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST only: the server refuses GET operations without a preflight header (CSRF prevention).
    preferGetMethod: false,
    exchanges: [
      refetchOnReconnectExchange(onReconnect),
      cacheExchange(cacheConfig),
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const token = tokens.access;
          return token ? utils.appendHeaders(operation, { authorization: `Bearer ${token}` }) : operation;
        },
        // Signed out (signing in), an UNAUTHENTICATED answer is the answer itself.
        didAuthError: (error) => tokens.access !== null && error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'),
        willAuthError: () => expiresSoon(),
        async refreshAuth() {
          await refreshTokens().catch(() => false);
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = live.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, dispose: () => void live.dispose() };
}
