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
import { assertComplexity, validationRules } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import type { Logger } from '../logger';
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
  const { schema, db, services, authenticator, log, now } = options;
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
        // graphql-ws has already reserved this subscription's id in ctx.subscriptions. Counted before
        // the first await: subscribes arriving together would otherwise all count after all reserved.
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
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        try {
          assertComplexity(schema, document, payload.variables ?? undefined, payload.operationName);
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
