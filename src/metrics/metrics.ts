import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric of one server instance, on its own Registry (never prom-client's
 * global one: tests run several instances in one process). Services get it through
 * ServiceDeps.metrics; GET /metrics (src/http/metrics.route.ts) renders `registry`.
 *
 * Labels take values from fixed sets only (operation types and root field names, outcomes,
 * channels, triggers): never user input or ids, so the series count stays bounded.
 */
export class Metrics {
  readonly registry = new Registry();

  /** One per GraphQL request (HTTP) or subscription start (websocket). */
  readonly graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by type (query, mutation, subscription), root field name and outcome (ok or the error code)',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL request to sending its response',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly graphqlSubscriptionsActive = new Gauge({
    name: 'graphql_subscriptions_active',
    help: 'Subscriptions currently open over graphql-ws on this instance',
    registers: [this.registry],
  });

  readonly generationRuns = new Counter({
    name: 'generation_runs_total',
    help: 'Generation runs by trigger (CRON, MUTATION, HTTP, BOOKING) and status (SUCCEEDED, FAILED)',
    labelNames: ['trigger', 'status'] as const,
    registers: [this.registry],
  });

  readonly generationDuration = new Histogram({
    name: 'generation_run_duration_seconds',
    help: 'Duration of generation runs started by the schedule, the mutation or the cron endpoint',
    labelNames: ['trigger'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  readonly generationSessionsCreated = new Counter({
    name: 'generation_sessions_created_total',
    help: 'Sessions created by generation runs (series bookings included)',
    registers: [this.registry],
  });

  /** Moved by the outbox worker: channel EMAIL, WEBHOOK or CHARGE_NOTICES, outcome SENT, RETRY, FAILED or SKIPPED. */
  readonly notificationDeliveries = new Counter({
    name: 'notification_deliveries_total',
    help: 'Outbox delivery attempts by channel and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Webhook attempts by outcome (SENT, RETRY, FAILED, DISABLED, REFUSED). */
  readonly webhookDeliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Set at scrape time by the outbox (see `onScrape`). */
  readonly outboxPending = new Gauge({
    name: 'outbox_pending',
    help: 'Outbox rows waiting to be delivered, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  private readonly scrapeHooks: (() => Promise<void>)[] = [];

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Work to do before each scrape (reading a gauge from the database); failures leave the old value. */
  onScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** The text exposition format, after the scrape hooks ran. */
  async render(): Promise<string> {
    await Promise.all(this.scrapeHooks.map((hook) => hook().catch(() => undefined)));
    return this.registry.metrics();
  }
}
