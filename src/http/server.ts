import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/authenticate';
import type { SignOuts } from '../events/sign-outs';
import type { Config } from '../config';
import type { Db } from '../db/prisma';
import { AppError } from '../errors';
import type { Context } from '../graphql/context';
import { formatError, INTERNAL_MESSAGE, isExpected, UNAVAILABLE_MESSAGE } from '../graphql/format-error';
import { MAX_TOKENS } from '../graphql/limits';
import { createLoaders } from '../graphql/loaders';
import { checkOperation, validationRules } from '../graphql/operation-checks/check-operation';
import { oversizedQuery } from '../graphql/operation-checks/document-size';
import { ResolverWork } from '../graphql/resolver-work';
import type { Logger } from '../logger';
import { graphqlMetricsPlugin } from '../metrics/graphql-metrics.plugin';
import type { Metrics } from '../metrics/metrics';
import type { Services } from '../services';
import { appRoutes } from './browser/app.route';
import { assetRoutes } from './browser/assets';
import { dashboardRoutes } from './browser/dashboard.route';
import { graphiqlRoutes } from './browser/graphiql.route';
import { concurrencyLimit, holdSlot } from './concurrency-limit';
import { graphqlCors, websocketOriginAllowed } from './cors';
import { serveGraphqlWs } from './graphql-ws';
import { healthRoutes } from './health';
import { metricsRoutes } from './metrics.route';

export interface HttpServerOptions {
  config: Config;
  schema: GraphQLSchema;
  db: Db;
  services: Services;
  authenticator: Authenticator;
  /** Sign-outs everywhere, from every instance: their websockets close. */
  signOuts: SignOuts;
  now: () => Date;
  log: Logger;
  metrics: Metrics;
  /** Extra routes mounted before /graphql (the cron endpoint). */
  routes?: express.Router[];
}

export interface RunningHttpServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

const REQUEST_ID = /^[\w-]{1,64}$/;
/** Requests that may wait per pool connection: a few seconds of work at this server's pace. */
export const MAX_WAITING_PER_CONNECTION = 100;
export const MAX_BODY = '100kb';

/** One http.Server: Apollo on POST/GET /graphql, graphql-ws on the same path, health and cron routes. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { config, schema, db, services, authenticator, log, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  // First of all, so every response carries it: CSRF refusals, body errors, health checks.
  app.use(assignRequestId);
  // Whether X-Forwarded-For counts for req.ip (per-client sign-in limits): only behind a proxy we trust.
  app.set('trust proxy', config.trustProxy);
  const httpServer = http.createServer(app);

  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: 64 * 1024,
    // A page from a foreign origin may not open a socket here (no CORS rule protects websockets).
    verifyClient: (info, done) => (websocketOriginAllowed(info.req, config.corsOrigins) ? done(true) : done(false, 403, 'Origin not allowed')),
  });
  const wsCleanup = serveGraphqlWs(wsServer, { schema, db, services, authenticator, signOuts: options.signOuts, now: options.now, log, metrics, introspection: config.introspection });

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns shutdown: drain, then stop the database
    hideSchemaDetailsFromClientErrors: config.isProduction,
    validationRules: validationRules({ introspection: config.introspection }),
    parseOptions: { maxTokens: MAX_TOKENS },
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // We set no cache hints; the default plugin still wraps every field resolver (bench/RESULTS.md, fix 2).
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's default landing page loads its IDE from a CDN; ours is served from this server (GRAPHQL_IDE).
      ApolloServerPluginLandingPageDisabled(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
      limitsAndLoggingPlugin(schema),
      graphqlMetricsPlugin(schema, metrics),
    ],
  });
  await apollo.start();

  app.use(healthRoutes(db.pool));
  app.use(metricsRoutes({ metrics, token: config.metricsToken }));
  app.use(assetRoutes());
  app.use(dashboardRoutes({ studioTimezone: config.studioTimezone }));
  app.use(appRoutes());
  if (config.graphqlIde) app.use(graphiqlRoutes());
  for (const router of options.routes ?? []) app.use(router);
  app.use(
    '/graphql',
    graphqlCors(config.corsOrigins),
    // As many requests in flight as the pool has connections; the rest wait their turn (bench/RESULTS.md).
    concurrencyLimit({ max: config.databasePoolSize, maxWaiting: MAX_WAITING_PER_CONNECTION * config.databasePoolSize, busy: answerBusy }),
    express.json({ limit: MAX_BODY }),
    refuseOversizedQueries,
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<Context> => {
        const requestId = res.locals.requestId as string;
        const requestLog = log.child({ requestId });
        const authenticated = await authenticator.authenticate(req.headers.authorization).catch((error: unknown) => {
          if (error instanceof AppError) throw asHttpError(error.code, error.message, 401);
          requestLog.error({ err: error }, 'authentication failed: database unavailable?');
          throw asHttpError('INTERNAL_SERVER_ERROR', UNAVAILABLE_MESSAGE, 503);
        });
        // Ended when the response is decided (the plugin) or closed (also for requests Apollo refuses
        // after this point, and clients that went away); the slot is held until its resolvers are done.
        const work = new ResolverWork();
        res.once('close', () => work.end());
        holdSlot(res, work.idle);
        return { actor: authenticated?.actor ?? null, requestId, services, loaders: createLoaders(db.prisma), log: requestLog, work, origin: `${req.protocol}://${req.get('host') ?? `127.0.0.1:${config.port}`}`, clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
      },
    }),
  );
  app.use(answerRequestError(log));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    // apollo.stop() drains HTTP requests and disposes graphql-ws, then closes the server.
    stop: () => (stopping ??= (async () => {
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      await apollo.stop();
      wsServer.close();
    })()),
  };
}

function assignRequestId(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.locals.requestId = requestId;
  res.setHeader('x-request-id', requestId);
  next();
}

/** Apollo validates before any plugin can refuse: documents too large to validate cheaply stop here. */
function refuseOversizedQueries(req: express.Request, res: express.Response, next: express.NextFunction): void {
  const refused = oversizedQuery(req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query);
  if (!refused) return next();
  res.status(400).json({ errors: [{ message: refused.message, extensions: { code: 'BAD_USER_INPUT' } }] });
}

/** What a client may read of a request that never became an operation (body-parser's errors, by `type`). */
const REQUEST_ERRORS: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': `The request body is larger than ${MAX_BODY}`,
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset: send UTF-8',
  'request.aborted': 'The request was aborted',
  'request.size.invalid': 'The request body is shorter or longer than its content-length',
};

/**
 * Express's own error page is HTML with a stack trace and absolute paths (outside
 * production): every error that reaches here is answered as JSON, with a code and no details.
 */
function answerRequestError(log: Logger): express.ErrorRequestHandler {
  return (error: { status?: unknown; type?: unknown }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status >= 500) log.error({ err: error, requestId: res.locals.requestId }, 'unexpected error');
    const message = status >= 500 ? INTERNAL_MESSAGE : (REQUEST_ERRORS[String(error.type)] ?? 'Bad request');
    res.status(status).json({ errors: [{ message, extensions: { code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' } }] });
  };
}

/** A full line: the same answer as a database outage, with a hint when to come back. */
function answerBusy(res: express.Response): void {
  res.status(503).set('retry-after', '1').json({ errors: [{ message: UNAVAILABLE_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}

/** Apollo answers a failing context function as given: keep the contract's code and the HTTP status. */
function asHttpError(code: string, message: string, status: number) {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

function limitsAndLoggingPlugin(schema: GraphQLSchema): ApolloServerPlugin<Context> {
  return {
    async unexpectedErrorProcessingRequest({ requestContext }) {
      requestContext.contextValue.work?.end();
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          checkOperation(schema, document, request.variables, request.operationName, 'http');
        },
        async willSendResponse({ contextValue, response }) {
          contextValue.work?.end();
          // RATE_LIMITED: the same hint in the standard header, for clients and proxies that read it.
          if (response.body.kind !== 'single') return;
          const retry = response.body.singleResult.errors?.map((error) => error.extensions?.retryAfterSeconds).find((value) => typeof value === 'number');
          if (retry !== undefined) response.http.headers.set('retry-after', String(retry));
        },
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            if (!isExpected(error.toJSON(), error)) {
              contextValue.log?.error({ err: error.originalError ?? error }, 'unexpected error');
            }
          }
        },
      };
    },
  };
}
