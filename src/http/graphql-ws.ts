import { randomUUID } from 'node:crypto';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Actor } from '../auth/actor';
import { authenticate } from '../auth/authenticate';
import type { TokenIssuer } from '../auth/tokens';
import type { Db } from '../db/prisma';
import type { Context } from '../graphql/context';
import { formatError, isExpected } from '../graphql/format-error';
import { MAX_TOKENS } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import { checkOperation, oversizedDocument, validationRules } from '../graphql/operation-checks';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { operationLabels, outcomeOf } from '../metrics/operation-labels';
import type { Services } from '../services';
import { sharedSubscribe } from './shared-subscribe';

export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 25;

/** Per-connection state graphql-ws keeps beside the socket. */
type Extra = { actor: Actor };

interface Options {
  schema: GraphQLSchema;
  db: Db;
  services: Services;
  tokens: TokenIssuer;
  log: Logger;
  metrics: Metrics;
  introspection: boolean;
}

/**
 * graphql-ws on the HTTP server's /graphql path. Websockets bypass Apollo's
 * plugins, so this repeats what HTTP requests get: authentication (once, on
 * connect), validation rules, complexity limits and error masking.
 */
export function serveGraphqlWs(wsServer: WebSocketServer, options: Options): Disposable {
  const { schema, db, services, tokens, log, metrics } = options;
  const rules = [...specifiedRules, ...validationRules({ introspection: options.introspection })];

  return useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      subscribe: sharedSubscribe,
      // Close reasons carry an internal error's message unless isProd: never send them.
      isProd: true,
      async onConnect(ctx) {
        const header = ctx.connectionParams?.authorization;
        try {
          const actor = await authenticate(typeof header === 'string' ? header : null, tokens, db.pool);
          if (!actor) return false; // closes with 4403 Forbidden
          ctx.extra.actor = actor;
          return true;
        } catch {
          return false;
        }
      },
      onSubscribe(ctx, _id, payload) {
        // graphql-ws has already reserved this subscription's id in ctx.subscriptions.
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          return [error as GraphQLError];
        }
        const oversized = oversizedDocument(document);
        if (oversized) return [oversized];
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        try {
          checkOperation(schema, document, payload.variables, payload.operationName, 'websocket');
        } catch (error) {
          return [error as GraphQLError];
        }
        const args: ExecutionArgs = {
          schema,
          document,
          variableValues: payload.variables,
          operationName: payload.operationName,
        };
        return args;
      },
      context(ctx): Context {
        const requestId = randomUUID();
        return {
          actor: ctx.extra.actor ?? null,
          requestId,
          services,
          loaders: createLoaders(db.prisma),
          log: log.child({ requestId }),
        };
      },
      onOperation(_ctx, _id, _payload, args, result) {
        const labels = operationLabels(schema, args.document, args.operationName);
        const streaming = isAsyncIterator(result);
        metrics.graphqlOperations.inc({ ...labels, outcome: streaming ? 'ok' : outcomeOf(errorsOf(result)) });
        return streaming ? countedWhileOpen(result, metrics) : undefined;
      },
      onNext(_ctx, _id, _payload, args, result) {
        if (!result.errors) return;
        const requestId = (args.contextValue as Context | undefined)?.requestId;
        return {
          ...result,
          errors: result.errors.map((error) => {
            const formatted = error.toJSON();
            if (!isExpected(formatted, error)) log.error({ err: error.originalError ?? error, requestId }, 'subscription error');
            return formatError(formatted, error);
          }),
        };
      },
      onError(_ctx, id, _payload, errors) {
        // Invalid operations, and a subscription's stream failing mid-way (masked).
        return errors.map((error) => {
          const formatted = error.toJSON();
          if (!isExpected(formatted, error)) log.error({ err: error.originalError ?? error, subscriptionId: id }, 'subscription failed');
          return formatError(formatted, error);
        });
      },
    },
    wsServer,
  );
}

function isAsyncIterator(value: unknown): value is AsyncIterableIterator<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value && typeof (value as unknown as AsyncIterator<unknown>).next === 'function';
}

function errorsOf(result: unknown): { extensions?: { code?: unknown } }[] | undefined {
  const errors = (result as { errors?: GraphQLError[] } | null)?.errors;
  return errors?.map((error) => formatError(error.toJSON(), error));
}

/**
 * The subscription's stream, counted in graphql_subscriptions_active from now until it ends
 * (the client completes it, the socket closes, or the source finishes or fails). A plain
 * iterator object, not an async generator: a generator's return() would wait for the
 * pending next(), which waits for an event that may never come.
 */
function countedWhileOpen<T>(source: AsyncIterableIterator<T>, metrics: Metrics): AsyncIterableIterator<T> {
  metrics.graphqlSubscriptionsActive.inc();
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    metrics.graphqlSubscriptionsActive.dec();
  };
  const counted: AsyncIterableIterator<T> = {
    async next() {
      try {
        const result = await source.next();
        if (result.done) close();
        return result;
      } catch (error) {
        close();
        throw error;
      }
    },
    async return(value?: unknown) {
      close();
      return (await source.return?.(value)) ?? { done: true, value: undefined as T };
    },
    async throw(error?: unknown) {
      close();
      if (source.throw) return source.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return counted;
    },
  };
  return counted;
}
