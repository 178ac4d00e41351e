import { Sealer } from './auth/sealing';
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
import { calendarRoutes } from './http/calendar.route';
import { chargesExportRoute } from './http/charges-export.route';
import { cronRoutes } from './http/cron.route';
import { startHttpServer } from './http/server';
import { startGenerationJob } from './jobs/generation.job';
import type { Logger } from './logger';
import { Metrics } from './metrics/metrics';
import { countPendingOutbox } from './metrics/outbox-pending';
import { createWebhookChannel } from './webhooks/webhook.channel';
import { createChargeNoticesChannel } from './billing/charge-notices.channel';
import { createChannels } from './outbox/channels';
import { enqueueEmail, OUTBOX_WAKE_CHANNEL } from './outbox/outbox';
import { OutboxWorker } from './outbox/worker';
import { Notifier } from './notifications/notifier';
import { staleClassEmails } from './notifications/class-notices';
import { reminderWorker, staleSessionEmails } from './notifications/reminders';
import { DueWorker } from './runtime/due-worker';
import { announceClasses, promoted } from './services/class-events';
import { nextWaitlistDue, sweepWaitlists, type SweepResult } from './services/waitlist-sweep';
import { ensureStudioSettings } from './notifications/studio-settings';
import type { EventPublisher } from './runtime/event-publisher';
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
  metrics: Metrics;
  /** Delivers the outbox (email, webhooks) on this instance. */
  outbox: OutboxWorker;
  /** Turns due reminders into notifications on this instance. */
  reminders: DueWorker<{ handled: number; created: string[] }>;
  /** Expires offers and lines at their time and offers freed places when quiet hours end, on this instance. */
  waitlist: DueWorker<SweepResult>;
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
  await ensureStudioSettings(db.pool, { name: config.studioName, currency: config.studioCurrency });
  // Subscription events travel through PostgreSQL LISTEN/NOTIFY to every instance, this one included.
  const pubSub = new LocalPubSub(log);
  const transport = new PgNotifyTransport({ connectionString: databaseUrl, pool: db.pool, log });
  const signOuts = new SignOuts();
  const live = await startLiveEvents({ transport, prisma: db.prisma, pubSub, log, signOuts });
  const events: EventPublisher = live.publisher;
  const metrics = new Metrics();
  metrics.onScrape(() => countPendingOutbox(db, metrics));
  const sealer = new Sealer(jwtSecret);
  const tokens = new TokenIssuer(jwtSecret, config.jwtTtl, config.accessTokenTtlMs, now);
  const mail = signInMail({ enqueue: config.smtpUrl ? enqueueEmail : null, publicUrl: config.publicUrl });
  const services = createServices({ db, config, events, log, metrics, sealer, now, tokens, mail });
  const provider = config.identityProvider ? new IdentityProvider({ ...config.identityProvider, now, cooldownMs: jwksCooldownMs }) : null;
  const authenticator = new Authenticator(tokens, db.pool, provider);
  if (!mail.delivers) {
    log.warn(config.isProduction ? 'SMTP_URL is not set: sign-in codes cannot be delivered; people sign in with a password or the identity provider' : 'SMTP_URL is not set: sign-in codes are written to this log (development only)');
  }
  const schema = await createSchema(pubSub);
  const routes = [
    cronRoutes({ cronSecret: config.cronSecret, generation: services.generation, log }),
    calendarRoutes({ feeds: services.calendarFeeds, log }),
    chargesExportRoute({ pool: db.pool, authenticator, studioTimezone: config.studioTimezone, log }),
  ];
  const http = await startHttpServer({ config, schema, db, services, authenticator, signOuts, now, log, metrics, routes });
  const outbox = new OutboxWorker({
    pool: db.pool,
    channels: createChannels(config, log, {
      webhook: createWebhookChannel({ pool: db.pool, sealer, metrics, log, allowPrivate: config.webhookAllowPrivate, retryDelaysMs: config.webhookRetryDelaysMs }),
      // Notices that become emails retry like emails.
      chargeNotices: createChargeNoticesChannel({ db, config, events, log, now, retryDelaysMs: config.emailRetryDelaysMs }),
    }),
    onOutcome: (channel, status) => metrics.notificationDeliveries.inc({ channel, outcome: status }),
    log,
    pollMs: config.outboxPollMs,
    wake: new PgNotifyTransport({ connectionString: databaseUrl, pool: db.pool, log, channel: OUTBOX_WAKE_CHANNEL, applicationName: 'booking-outbox-listener' }),
    // A reminder's email is not sent once its session was cancelled, moved or has begun.
    preflight: async (rows) => {
      const query = (sql: string, params: unknown[]) => db.pool.query<{ id: string }>(sql, params);
      // Nor a class notice once its enrollment has moved on.
      const [sessions, classes] = await Promise.all([staleSessionEmails(query, rows), staleClassEmails(query, rows)]);
      return new Map([...sessions, ...classes]);
    },
  });
  await outbox.start();
  const notifier = new Notifier({ config, log });
  const reminders = reminderWorker({
    prisma: db.prisma,
    log,
    pollMs: config.outboxPollMs,
    now,
    handle: (tx, now, limit) => notifier.dueReminders(tx, now, limit),
    published: (ids) => events.notificationsCreated(ids),
  });
  reminders.start();
  const waitlist = new DueWorker<SweepResult>({
    name: 'waitlist',
    prisma: db.prisma,
    log,
    pollMs: config.outboxPollMs,
    now,
    handle: (tx, at, limit) => sweepWaitlists(tx, at, limit, { config, log }),
    committed: (result) => {
      events.notificationsCreated(result.notified);
      void announceClasses({ db, events, log }, result.classIds, promoted(result));
    },
    nextDue: (prisma) => nextWaitlistDue(prisma, config.studioTimezone, now()),
    batchSize: 100,
  });
  waitlist.start();
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
    metrics,
    outbox,
    reminders,
    waitlist,
    stop: () =>
      (stopping ??= (async () => {
        await generationJob.stop();
        await http.stop();
        await reminders.stop();
        await waitlist.stop();
        await outbox.stop();
        await live.stop();
        await db.close();
      })()),
  };
}
