// Events missed while the socket was down are never replayed: once it is back, every
// query on screen is fetched again (the same idea as urql's refocusExchange, for reconnects).
import { makeOperation, type Exchange, type Operation } from '@urql/core';
import { pipe, tap } from 'wonka';

export function refetchOnReconnectExchange(onReconnect: (listener: () => void) => void): Exchange {
  return ({ client, forward }) => (operations$) => {
    const onScreen = new Map<number, Operation>();
    onReconnect(() => {
      for (const operation of onScreen.values()) {
        client.reexecuteOperation(makeOperation('query', operation, { ...operation.context, requestPolicy: 'network-only' }));
      }
    });
    return forward(
      pipe(
        operations$,
        tap((operation) => {
          if (operation.kind === 'query') onScreen.set(operation.key, operation);
          else if (operation.kind === 'teardown') onScreen.delete(operation.key);
        }),
      ),
    );
  };
}
