import { randomUUID } from 'node:crypto';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import type { Disposable } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Actor } from '../auth/actor';
import type { Authenticator } from '../auth/authenticate';
import type { Db } from '../db/prisma';
import type { SignOuts } from '../events/sign-outs';
import type { Context } from '../graphql/context';
import { AppError } from '../errors';
import { formatError, isExpected, UNAVAILABLE_MESSAGE } from '../graphql/format-error';
import { MAX_TOKENS } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import { checkOperation, validationRules } from '../graphql/operation-checks/check-operation';
import { oversizedDocument } from '../graphql/operation-checks/document-size';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { operationLabels, outcomeOf } from '../metrics/operation-labels';
import type { Services } from '../services';
import { sharedSubscribe } from './shared-subscribe';

export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 25;

/** Close code for a connection whose token expired or was revoked (graphql-ws clients do not retry it). */
export const CLOSE_UNAUTHORIZED = 4401;
/** setTimeout's longest delay; a longer wait (operator tokens live 30 days) is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Per-connection state graphql-ws keeps beside the socket. */
type Extra = { actor: Actor; authorization: string; expiry?: NodeJS.Timeout };

interface Options {
  schema: GraphQLSchema;
  db: Db;
  services: Services;
  authenticator: Authenticator;
  signOuts: SignOuts;
  now: () => Date;
  log: Logger;
  metrics: Metrics;
  introspection: boolean;
}

/**
 * graphql-ws on the HTTP server's /graphql path. Websockets bypass Apollo's
 * plugins, so this repeats what HTTP requests get: authentication, validation
 * rules, complexity limits and error masking. The token is checked on connect and
 * again for every operation (expired or revoked: UNAUTHENTICATED); the socket closes
 * with 4401 when its token expires, and when its person signs out everywhere (on
 * any instance: SignOuts hears it through the event transport).
 */
export function serveGraphqlWs(wsServer: WebSocketServer, options: Options): Disposable {
  const { schema, db, services, authenticator, log, now, metrics } = options;
  const rules = [...specifiedRules, ...validationRules({ introspection: options.introspection })];
  const socketsByUser = new Map<string, Set<WebSocket>>();

  const closeUnauthorized = (socket: WebSocket, reason: string) => {
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(CLOSE_UNAUTHORIZED, reason);
  };
  const stopListening = options.signOuts.on((userIds) => {
    for (const userId of userIds) {
      for (const socket of socketsByUser.get(userId) ?? []) closeUnauthorized(socket, 'Signed out');
    }
  });
  const armExpiry = (extra: Extra & { socket: WebSocket }, expiresAt: number) => {
    clearTimeout(extra.expiry);
    const delay = expiresAt - now().getTime();
    if (delay <= 0) return closeUnauthorized(extra.socket, 'Token expired');
    extra.expiry = setTimeout(() => (delay > MAX_TIMER_MS ? armExpiry(extra, expiresAt) : closeUnauthorized(extra.socket, 'Token expired')), Math.min(delay, MAX_TIMER_MS));
    extra.expiry.unref();
  };

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      subscribe: sharedSubscribe,
      // Close reasons carry an internal error's message unless isProd: never send them.
      isProd: true,
      async onConnect(ctx) {
        const header = ctx.connectionParams?.authorization;
        try {
          const authenticated = await authenticator.authenticate(typeof header === 'string' ? header : null);
          if (!authenticated) return false; // closes with 4403 Forbidden
          const { socket } = ctx.extra;
          ctx.extra.actor = authenticated.actor;
          ctx.extra.authorization = header as string;
          const userId = authenticated.actor.id;
          const sockets = socketsByUser.get(userId) ?? new Set();
          socketsByUser.set(userId, sockets.add(socket));
          socket.once('close', () => {
            clearTimeout(ctx.extra.expiry);
            sockets.delete(socket);
            if (sockets.size === 0 && socketsByUser.get(userId) === sockets) socketsByUser.delete(userId);
          });
          armExpiry(ctx.extra as Extra & { socket: WebSocket }, authenticated.expiresAt);
          return true;
        } catch {
          return false;
        }
      },
      async onSubscribe(ctx, _id, payload) {
        // graphql-ws has already reserved this subscription's id in ctx.subscriptions. Counted
        // before anything is awaited: operations sent together all reserve before any resumes.
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`, { extensions: { code: 'BAD_USER_INPUT' } })];
        }
        // The token again, for every operation: expired or revoked since connect (one user-row read, as over HTTP).
        try {
          const authenticated = await authenticator.authenticate(ctx.extra.authorization);
          if (!authenticated) throw new Error('no token');
          ctx.extra.actor = authenticated.actor;
        } catch (error) {
          if (!(error instanceof AppError)) {
            log.error({ err: error }, 'authentication failed: database unavailable?');
            return [new GraphQLError(UNAVAILABLE_MESSAGE, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
          }
          // The error goes out first; then the socket closes, as it would have at expiry or sign-out.
          setTimeout(() => closeUnauthorized(ctx.extra.socket, 'Token expired or revoked'), 100).unref();
          return [new GraphQLError('Invalid or expired token', { extensions: { code: 'UNAUTHENTICATED' } })];
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
          // The connection's own address (X-Forwarded-For is not read here): per-client limits over websockets.
          clientIp: ctx.extra.request.socket.remoteAddress ?? 'unknown',
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
  return {
    async dispose() {
      stopListening();
      await server.dispose();
    },
  };
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
