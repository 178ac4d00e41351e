import { Authenticator } from './auth/authenticate';
import { IdentityProvider } from './auth/identity-provider';
import { signInMail } from './auth/sign-in-mail';
import { TokenIssuer } from './auth/tokens';
import type { Config } from './config';
import { migrate } from './db/migrate';
import { connect, type Db } from './db/prisma';
import { startLiveEvents } from './events/live-events';
import { PgNotifyTransport } from './events/pg-notify-transport';
import { SignOuts } from './events/sign-outs';
import { LocalPubSub } from './graphql/pubsub';
import { createSchema } from './graphql/schema';
import { cronRoutes } from './http/cron.route';
import { startHttpServer } from './http/server';
import { startGenerationJob } from './jobs/generation.job';
import type { Logger } from './logger';
import { createChannels } from './outbox/channels';
import { enqueueEmail, OUTBOX_WAKE_CHANNEL } from './outbox/outbox';
import { OutboxWorker } from './outbox/worker';
import type { EventPublisher } from './services/events';
import { createServices, type Services } from './services';

export interface App {
  port: number;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  db: Db;
  services: Services;
  tokens: TokenIssuer;
  /** Where services announce committed changes (to every instance's subscribers). */
  events: EventPublisher;
  /** Delivers the outbox (email, webhooks) on this instance. */
  outbox: OutboxWorker;
  stop(): Promise<void>;
}

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  jwtSecret: string;
  log: Logger;
  /** The clock of services and tokens; tests move it (sign-in code expiry). */
  now?: () => Date;
  /** How soon an unknown key id may refetch the identity provider's key set (tests shorten it). */
  jwksCooldownMs?: number;
}

/** Everything but the database process: migrations, services, HTTP + websocket server. */
export async function startApp({ config, databaseUrl, jwtSecret, log, now = () => new Date(), jwksCooldownMs }: AppOptions): Promise<App> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');

  const db = connect(databaseUrl, config.databasePoolSize);
  // Subscription events travel through PostgreSQL LISTEN/NOTIFY to every instance, this one included.
  const pubSub = new LocalPubSub(log);
  const transport = new PgNotifyTransport({ connectionString: databaseUrl, pool: db.pool, log });
  const signOuts = new SignOuts();
  const live = await startLiveEvents({ transport, prisma: db.prisma, pubSub, log, signOuts });
  const events: EventPublisher = live.publisher;
  const tokens = new TokenIssuer(jwtSecret, config.jwtTtl, config.accessTokenTtlMs, now);
  const mail = signInMail({ enqueue: config.smtpUrl ? enqueueEmail : null, publicUrl: config.publicUrl });
  const services = createServices({ db, config, events, log, now, tokens, mail });
  const provider = config.identityProvider ? new IdentityProvider({ ...config.identityProvider, now, cooldownMs: jwksCooldownMs }) : null;
  const authenticator = new Authenticator(tokens, db.pool, provider);
  if (!mail.delivers) {
    log.warn(config.isProduction ? 'SMTP_URL is not set: sign-in codes cannot be delivered; people sign in with a password or the identity provider' : 'SMTP_URL is not set: sign-in codes are written to this log (development only)');
  }
  const schema = await createSchema(pubSub);
  const routes = [cronRoutes({ cronSecret: config.cronSecret, generation: services.generation, log })];
  const http = await startHttpServer({ config, schema, db, services, authenticator, signOuts, now, log, routes });
  const outbox = new OutboxWorker({
    pool: db.pool,
    channels: createChannels(config, log),
    log,
    pollMs: config.outboxPollMs,
    wake: new PgNotifyTransport({ connectionString: databaseUrl, pool: db.pool, log, channel: OUTBOX_WAKE_CHANNEL, applicationName: 'booking-outbox-listener' }),
  });
  await outbox.start();
  if (!config.smtpUrl) {
    const message = 'SMTP_URL is not set: emails are logged as "would have mailed" and recorded SKIPPED, not sent';
    if (config.isProduction) log.warn(message);
    else log.info(message);
  }
  const generationJob = startGenerationJob({ schedule: config.cronSchedule, enabled: config.cronEnabled, generation: services.generation, log });
  log.info({ url: http.url }, 'server ready');

  let stopping: Promise<void> | undefined;
  return {
    port: http.port,
    url: http.url,
    db,
    services,
    tokens,
    events,
    outbox,
    stop: () =>
      (stopping ??= (async () => {
        await generationJob.stop();
        await http.stop();
        await outbox.stop();
        await live.stop();
        await db.close();
      })()),
  };
}
