import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import pino from 'pino';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Role } from '../../src/domain/lifecycle';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

export interface GraphqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
}

export interface TestServer {
  app: App;
  db: TestDatabase;
  url: string;
  /** A user made directly through the service, with a signed token. */
  user(role: Role, name?: string): Promise<TestUser>;
  /** POSTs an operation (typed, or query text) like a client would; `as` is the caller (or none). */
  request<T = Record<string, unknown>, V = Record<string, unknown>>(document: TypedDocumentNode<T, V> | string, variables?: V, as?: TestUser | string | null): Promise<GraphqlResponse<T>>;
  /** The same, but fails the test on any error and returns the data. */
  ok<T, V>(document: TypedDocumentNode<T, V>, variables?: V, as?: TestUser | null): Promise<T>;
  stop(): Promise<void>;
}

let counter = 0;

/** A real server on a random port, on its own fresh database (or a shared one, for multi-instance tests). */
export interface TestServerOptions {
  env?: Record<string, string>;
  db?: TestDatabase;
  /** The server's clock (services and tokens); default: real time. */
  now?: () => Date;
  /** Receives every log line the server writes (as parsed JSON), at LOG_LEVEL (default debug when given). */
  logLines?: Record<string, unknown>[];
  jwksCooldownMs?: number;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    CRON_ENABLED: 'false',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: db.url,
    ...(options.logLines ? { LOG_LEVEL: 'debug' } : {}),
    ...options.env,
  });
  const lines = options.logLines;
  const log = lines
    ? pino({ level: config.logLevel, base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
    : createLogger(config.logLevel);
  const app = await startApp({ config, databaseUrl: db.url, jwtSecret: TEST_JWT_SECRET, log, now: options.now, jwksCooldownMs: options.jwksCooldownMs });

  const request: TestServer['request'] = async (document, variables, as) => {
    const token = typeof as === 'string' ? as : as?.token;
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: typeof document === 'string' ? document : print(document), variables }),
    });
    const body = (await response.json()) as { data?: never; errors?: GraphQLFormattedError[] };
    return { status: response.status, data: body.data, errors: body.errors };
  };

  return {
    app,
    db,
    url: app.url,
    async user(role, name) {
      counter += 1;
      const label = name ?? `${role.toLowerCase()} ${counter}`;
      const email = `${label.replace(/\W+/g, '.')}.${process.pid}.${counter}@example.test`.toLowerCase();
      const user = await app.services.users.create({ email, name: label, role });
      return { id: user.id, email: user.email, role, token: await app.tokens.sign(user.id) };
    },
    request,
    async ok(document, variables, as) {
      const result = await request(document, variables, as);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
      return result.data as never;
    },
    async stop() {
      await app.stop();
      if (!options.db) await db.drop();
    },
  };
}

/** The first error's code and field: what most failure specs assert. */
export function errorOf(result: GraphqlResponse<unknown>): { code?: unknown; field?: unknown; message?: string } {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}
