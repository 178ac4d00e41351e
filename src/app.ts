import { TokenIssuer } from './auth/tokens';
import type { Config } from './config';
import { migrate } from './db/migrate';
import { connect, type Db } from './db/prisma';
import { createSchema } from './graphql/schema';
import { startHttpServer } from './http/server';
import type { Logger } from './logger';
import type { EventPublisher } from './services/events';
import { createServices, type Services } from './services';

export interface App {
  port: number;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  db: Db;
  services: Services;
  tokens: TokenIssuer;
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  jwtSecret: string;
  log: Logger;
}

/** Everything but the database process: migrations, services, HTTP + websocket server. */
export async function startApp({ config, databaseUrl, jwtSecret, log }: AppOptions): Promise<App> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  const db = connect(databaseUrl);
  const events: EventPublisher = { sessionsChanged: () => undefined, generationRunFinished: () => undefined };
  const services = createServices({ db, config, events, log, now: () => new Date() });
  const tokens = new TokenIssuer(jwtSecret, config.jwtTtl);
  const schema = await createSchema();
  const http = await startHttpServer({ config, schema, db, services, tokens, log });
  log.info({ url: http.url }, 'server ready');

  let stopping: Promise<void> | undefined;
  return {
    port: http.port,
    url: http.url,
    db,
    services,
    tokens,
    stop: () =>
      (stopping ??= (async () => {
        await http.stop();
        await db.close();
      })()),
  };
}
