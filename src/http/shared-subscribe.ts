import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../graphql/context';

/**
 * graphql's subscribe(), except that an event is executed once per distinct operation
 * (document, operation name, variables, role) and the result handed to every subscriber
 * of that operation here. graphql-ws would otherwise run the same selection, loaders and
 * all, for each of a thousand dashboards.
 *
 * Sound because no field under Subscription depends on who asks beyond their role: who
 * receives an event is still decided per subscriber, by the filter it gave the pub/sub.
 * A field resolver that reads the actor's id must not be reachable from a subscription.
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream; // errors before the stream started
  const key = operationKey(args);
  return mapAsyncIterator(stream, (event) => executeOnce(event, key, () => execute({ ...args, rootValue: event })));
}

/** Per event (the pub/sub hands one object to all its subscribers): results by operation key. */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function executeOnce(event: unknown, key: string, run: () => ExecutionResult | Promise<ExecutionResult>): Promise<ExecutionResult> {
  if (typeof event !== 'object' || event === null) return Promise.resolve(run());
  let byKey = results.get(event);
  if (!byKey) results.set(event, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) byKey.set(key, (result = Promise.resolve().then(run)));
  return result;
}

const printed = new WeakMap<DocumentNode, string>();

function operationKey({ document, operationName, variableValues, contextValue }: ExecutionArgs): string {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  const role = (contextValue as Context | undefined)?.actor?.role ?? 'ANONYMOUS';
  return JSON.stringify([text, operationName ?? null, variableValues ?? null, role]);
}

/** graphql-js's own (internal) mapAsyncIterator: map each value, pass return/throw through to the source. */
function mapAsyncIterator<T, U>(iterable: AsyncIterable<T>, map: (value: T) => Promise<U>): AsyncIterableIterator<U> {
  const iterator = iterable[Symbol.asyncIterator]();
  const closeSource = async () => {
    try {
      await iterator.return?.();
    } catch {
      // keep the original error
    }
  };
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<U>> => {
    if (result.done) return { done: true, value: undefined };
    try {
      return { done: false, value: await map(result.value) };
    } catch (error) {
      await closeSource();
      throw error;
    }
  };
  const mapped: AsyncIterableIterator<U> = {
    async next() {
      return mapResult(await iterator.next());
    },
    async return() {
      return iterator.return ? mapResult(await iterator.return()) : { done: true, value: undefined };
    },
    async throw(error: unknown) {
      if (iterator.throw) return mapResult(await iterator.throw(error));
      await closeSource();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
