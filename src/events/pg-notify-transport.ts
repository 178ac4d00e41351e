import pg from 'pg';
import type { Logger } from '../logger';
import type { EventTransport, TransportHandlers } from '../runtime/event-transport';
import { pgConnection } from '../db/pg-connection';

/** The channel every instance of one database listens on (NOTIFY is per database). */
export const EVENTS_CHANNEL = 'booking_events';

/** How the listening connection shows up in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'booking-events-listener';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; stay clear of the limit. */
export const MAX_NOTIFY_BYTES = 7_900;

export interface PgNotifyTransportOptions {
  connectionString: string;
  /** Where NOTIFY is sent from: the application's pool (sending needs no dedicated connection). */
  pool: pg.Pool;
  log: Logger;
  channel?: string;
  /** How the listening connection shows up in pg_stat_activity (default LISTENER_APPLICATION_NAME). */
  applicationName?: string;
  /** Reconnect delays double from initialMs up to maxMs (with jitter). */
  backoff?: { initialMs: number; maxMs: number };
  /** How often the idle listener proves its connection is alive. */
  heartbeatMs?: number;
}

/**
 * LISTEN/NOTIFY between instances. Listening needs one dedicated pg.Client per instance:
 * a pooled connection is handed to other work and recycled, and its LISTEN goes silent.
 * When the connection is lost (database restart, network), the listener reconnects with
 * backoff and never takes the server down; notifications sent meanwhile are not replayed.
 */
export class PgNotifyTransport implements EventTransport {
  readonly maxMessageBytes = MAX_NOTIFY_BYTES;
  private readonly channel: string;
  private handlers: TransportHandlers | undefined;
  private client: pg.Client | null = null;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private attempt = 0;
  private everListened = false;
  private stopped = false;

  constructor(private readonly options: PgNotifyTransportOptions) {
    this.channel = options.channel ?? EVENTS_CHANNEL;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.channel)) throw new Error(`Invalid channel name ${this.channel}`);
  }

  async send(messages: string[]): Promise<void> {
    if (messages.length === 0) return;
    // One statement, one transaction: the notifications are delivered together at its commit.
    await this.options.pool.query('SELECT pg_notify($1, message) FROM unnest($2::text[]) AS message', [this.channel, messages]);
  }

  async start(handlers: TransportHandlers): Promise<void> {
    this.handlers = handlers;
    const heartbeatMs = this.options.heartbeatMs ?? 30_000;
    this.heartbeat = setInterval(() => this.checkAlive(), heartbeatMs);
    this.heartbeat.unref();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting = this.tryConnect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async tryConnect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      ...pgConnection(this.options.connectionString),
      application_name: this.options.applicationName ?? LISTENER_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('notification', (notification) => {
      if (client === this.client && notification.channel === this.channel && notification.payload !== undefined) {
        this.handlers?.onMessage(notification.payload);
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
    } catch (error) {
      client.end().catch(() => undefined);
      this.options.log.warn({ err: error, attempt: this.attempt }, 'event listener could not connect; retrying');
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    if (this.everListened) {
      this.options.log.warn('event listener reconnected; changes made while it was away were not delivered here');
      this.handlers?.onReconnect?.();
    }
    this.everListened = true;
  }

  /** The listening connection failed or ended: drop it and reconnect (unless stopping). */
  private lost(client: pg.Client, error?: Error): void {
    if (client !== this.client) return; // a failed attempt, or a connection already replaced
    this.client = null;
    client.end().catch(() => undefined);
    if (this.stopped) return;
    this.options.log.warn({ err: error }, 'event listener lost its database connection; reconnecting');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 100, maxMs: 5_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  /** A half-open TCP connection never errors by itself: a periodic round trip finds it. */
  private checkAlive(): void {
    const client = this.client;
    if (!client) return;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('listener heartbeat timed out')), 10_000).unref());
    Promise.race([client.query('SELECT 1'), timeout]).catch((error: Error) => this.lost(client, error));
  }
}
