/**
 * Webhooks end to end: owners register endpoints; changes to sessions, series and runs
 * reach a real receiver on 127.0.0.1 through the outbox, signed as Standard Webhooks
 * (verified here with the `standardwebhooks` package), retried with the same webhook-id,
 * disabled by a 410 or five days of failures, signed with both secrets during a rotation,
 * redelivered on request, sent once across two instances, and never to refused addresses.
 */
import { Webhook } from 'standardwebhooks';
import { addDays } from '../../src/domain/civil-date';
import {
  BookSessionDocument,
  CancelSessionDocument,
  ChangeRecurringBookingDocument,
  CreateRecurringBookingDocument,
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RedeliverWebhookDocument,
  RotateWebhookSecretDocument,
  UpdateWebhookEndpointDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type WebhookEventType,
} from '../generated/graphql';
import { coachWithRoom, nextWeekday, type CoachSetup } from '../support/booking-fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { scrape } from '../support/prometheus';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';
import { wholeHourFromNow } from '../support/sessions';
import { WebhookReceiver, type ReceivedHook } from '../support/webhook-receiver';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms', OUTBOX_POLL_INTERVAL_MS: '100' };

function verify(secret: string, hook: ReceivedHook): unknown {
  return new Webhook(secret).verify(hook.body, {
    'webhook-id': hook.headers['webhook-id'],
    'webhook-timestamp': hook.headers['webhook-timestamp'],
    'webhook-signature': hook.headers['webhook-signature'],
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks on one instance', () => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let studio: CoachSetup;
  let receiver: WebhookReceiver;
  let hoursAhead = 20;

  beforeAll(async () => {
    server = await startTestServer({ env: FAST });
    owner = await server.user('OWNER');
    member = await server.user('MEMBER');
    studio = await coachWithRoom(server);
  });
  afterAll(() => server.stop());

  beforeEach(async () => {
    receiver = await new WebhookReceiver().start();
    await server.db.query('DELETE FROM webhook_endpoints');
  });
  afterEach(() => receiver.stop());

  async function endpoint(events: WebhookEventType[], url = receiver.url()) {
    return (await server.ok(CreateWebhookEndpointDocument, { input: { url, events } }, owner)).createWebhookEndpoint;
  }

  async function book(): Promise<string> {
    hoursAhead += 3;
    const startTime = wholeHourFromNow(hoursAhead).toISOString();
    return (await server.ok(BookSessionDocument, { input: { coachId: studio.coach.id, memberId: member.id, startTime } }, owner)).bookSession.id;
  }

  async function deliveries(endpointId: string) {
    return (await server.ok(WebhookDeliveriesDocument, { endpointId }, owner)).webhookDeliveries;
  }

  it('signs a session.cancelled event as Standard Webhooks with data shaped like TrainingSession', async () => {
    const { endpoint: created, secret } = await endpoint(['SESSION_CANCELLED']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created).toMatchObject({ url: receiver.url(), events: ['SESSION_CANCELLED'], enabled: true, consecutiveFailures: 0 });

    const sessionId = await book(); // SESSION_CREATED: not subscribed
    const cancelled = (await server.ok(CancelSessionDocument, { id: sessionId, reason: 'ill' }, member)).cancelSession;
    await receiver.until(() => receiver.received.length >= 1);

    const [hook] = receiver.received;
    expect(verify(secret, hook)).toEqual(hook.json);
    expect(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, hook)).toThrow();
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.json.type).toBe('session.cancelled');
    expect(new Date(hook.json.timestamp).toISOString()).toBe(hook.json.timestamp);
    expect(hook.json.data).toEqual({
      id: sessionId,
      coach: { id: studio.coach.id },
      member: { id: member.id },
      room: { id: studio.roomId },
      startTime: cancelled.startTime,
      endTime: cancelled.endTime,
      status: 'CANCELLED',
      recurringBooking: null,
      occurrenceStart: null,
      cancelledAt: cancelled.cancelledAt,
      cancellationReason: 'ill',
      completedAt: null,
      priceCents: null,
    });

    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'SENT');
    const [delivery] = await deliveries(created.id);
    expect(delivery).toMatchObject({ id: hook.headers['webhook-id'], eventType: 'SESSION_CANCELLED', attempts: 1, responseStatus: 200, nextAttemptAt: null });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failed delivery with the same webhook-id and body until the receiver takes it', async () => {
    receiver.answer = (n) => (n < 2 ? 500 : 204);
    const { endpoint: created, secret } = await endpoint(['SESSION_CREATED']);
    await book();
    await receiver.until(() => receiver.received.length >= 3);
    const [first, second, third] = receiver.received;
    expect(new Set(receiver.received.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    expect(second.body).toBe(first.body);
    expect(third.body).toBe(first.body);
    for (const hook of receiver.received) expect(verify(secret, hook)).toEqual(first.json);

    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'SENT');
    expect((await deliveries(created.id))[0]).toMatchObject({ attempts: 3, responseStatus: 204 });
    const [state] = (await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints;
    expect(state.consecutiveFailures).toBe(0);
  });

  it('fails a delivery after the last retry, counting the endpoint\'s failures, and keeps redirects unfollowed', async () => {
    receiver.answer = (n) => (req, res) => {
      if (req.url === '/elsewhere') return void res.writeHead(200).end();
      res.writeHead(302, { location: receiver.url('/elsewhere') }).end();
    };
    const { endpoint: created } = await endpoint(['SESSION_CREATED']);
    await book();
    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'FAILED');
    expect((await deliveries(created.id))[0]).toMatchObject({ attempts: 4, responseStatus: 302, nextAttemptAt: null });
    expect(receiver.received.every((hook) => hook.path === '/hooks')).toBe(true);
    const [state] = (await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints;
    expect(state).toMatchObject({ consecutiveFailures: 4, enabled: true });
  });

  it('disables an endpoint that answers 410 Gone; it receives nothing more until enabled again', async () => {
    receiver.answer = () => 410;
    const { endpoint: created } = await endpoint(['SESSION_CREATED']);
    await book();
    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'FAILED');
    expect((await deliveries(created.id))[0].attempts).toBe(1);
    expect((await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints[0].enabled).toBe(false);

    const [refused] = receiver.received;
    // Booked while off: no delivery is even queued (deliveries are written in the booking's transaction).
    await book();
    expect(await deliveries(created.id)).toHaveLength(1);

    receiver.answer = () => 200;
    const enabled = (await server.ok(UpdateWebhookEndpointDocument, { input: { id: created.id, enabled: true } }, owner)).updateWebhookEndpoint;
    expect(enabled).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    const later = await book();
    // Once the worker has handled every queued delivery, the receiver has had all it will ever get:
    // the refused one and the booking after enabling, nothing for the one made while off.
    const pending = () =>
      server.db.query(`SELECT 1 FROM webhook_deliveries d JOIN outbox_messages o ON o.id = d.outbox_message_id WHERE d.endpoint_id = $1 AND o.status = 'PENDING'`, [created.id]);
    await waitFor(async () => (await pending()).length === 0);
    expect(receiver.received.map((hook) => hook.json.data.id)).toEqual([refused.json.data.id, later]);
    expect((await deliveries(created.id)).map((d) => d.status).sort()).toEqual(['FAILED', 'SENT']);
  });

  it('disables an endpoint whose deliveries have failed for five days', async () => {
    receiver.answer = () => 503;
    const { endpoint: created } = await endpoint(['SESSION_CREATED']);
    // Hours, not days: in a zone with DST, '5 days' back across a change is 119 or 121 hours.
    await server.db.query(`UPDATE webhook_endpoints SET failing_since = now() - interval '120 hours 1 minute', consecutive_failures = 40 WHERE id = $1`, [created.id]);
    await book();
    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'FAILED');
    expect(receiver.received).toHaveLength(1); // no retries: the endpoint is off
    const [state] = (await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints;
    expect(state).toMatchObject({ enabled: false, consecutiveFailures: 41 });
  });

  it('signs with both secrets for a day after a rotation, so receivers can switch without losing events', async () => {
    const { endpoint: created, secret: oldSecret } = await endpoint(['SESSION_CREATED']);
    const rotated = (await server.ok(RotateWebhookSecretDocument, { id: created.id }, owner)).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(oldSecret);
    await book();
    await receiver.until(() => receiver.received.length === 1);
    const [hook] = receiver.received;
    expect(hook.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verify(oldSecret, hook)).toEqual(hook.json);
    expect(verify(rotated.secret, hook)).toEqual(hook.json);

    // A day later only the new secret signs.
    await server.db.query(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    await book();
    await receiver.until(() => receiver.received.length === 2);
    const later = receiver.received[1];
    expect(later.headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verify(rotated.secret, later)).toEqual(later.json);
    expect(() => verify(oldSecret, later)).toThrow();
  });

  it('redelivers a delivery with the same webhook-id and body, as a fresh set of attempts', async () => {
    const { endpoint: created, secret } = await endpoint(['SESSION_CREATED']);
    await book();
    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'SENT');
    const [delivery] = await deliveries(created.id);

    const again = (await server.ok(RedeliverWebhookDocument, { deliveryId: delivery.id }, owner)).redeliverWebhook;
    // Answered after commit: the worker, woken by that commit, may already be at it.
    expect(again.id).toBe(delivery.id);
    expect(['PENDING', 'SENT']).toContain(again.status);
    await receiver.until(() => receiver.received.length === 2);
    const [first, second] = receiver.received;
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verify(secret, second)).toEqual(first.json);
    await waitFor(async () => (await deliveries(created.id))[0]?.status === 'SENT');
    expect(await deliveries(created.id)).toHaveLength(1);

    expect(errorOf(await server.request(RedeliverWebhookDocument, { deliveryId: '00000000-0000-4000-8000-000000000000' }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'deliveryId' });
  });

  it('sends series and generation events shaped like RecurringBooking and GenerationRun', async () => {
    const { secret } = await endpoint(['RECURRING_BOOKING_CREATED', 'RECURRING_BOOKING_CHANGED', 'SESSION_CREATED', 'GENERATION_RUN_FINISHED']);
    const input = { coachId: studio.coach.id, memberId: member.id, dayOfWeek: 2, startTime: '07:00', endTime: '08:00', startDate: nextWeekday(2) };
    const series = (await server.ok(CreateRecurringBookingDocument, { input }, owner)).createRecurringBooking;
    await receiver.until(() => receiver.ofType('recurring_booking.created').length === 1 && receiver.ofType('generation_run.finished').length === 1);
    const [created] = receiver.ofType('recurring_booking.created');
    expect(verify(secret, created)).toBeTruthy();
    expect(created.json.data).toEqual({
      id: series.id,
      member: { id: member.id },
      coach: { id: studio.coach.id },
      room: { id: studio.roomId },
      dayOfWeek: 2,
      startTime: '07:00',
      endTime: '08:00',
      timezone: series.timezone,
      startDate: series.startDate,
      endDate: null,
      status: 'ACTIVE',
      priceCents: null,
      createdAt: series.createdAt,
      cancelledAt: null,
      intervalWeeks: 1,
      occurrences: null,
      pauses: [],
      replaces: null,
      replacedBy: null,
    });
    const [run] = receiver.ofType('generation_run.finished');
    expect(run.json.data).toMatchObject({ trigger: 'BOOKING', status: 'SUCCEEDED', error: null });
    await receiver.until(() => receiver.ofType('session.created').length === (run.json.data.totalGenerated as number));
    expect(receiver.ofType('session.created').every((hook) => (hook.json.data.recurringBooking as { id: string }).id === series.id)).toBe(true);

    // A change from a date on: one recurring_booking.changed carrying the new series (no .created).
    const next = (await server.ok(ChangeRecurringBookingDocument, { input: { recurringBookingId: series.id, effectiveFrom: addDays(series.startDate, 7), startTime: '06:00', endTime: '07:00' } }, owner))
      .changeRecurringBooking;
    await receiver.until(() => receiver.ofType('recurring_booking.changed').length === 1);
    expect(receiver.ofType('recurring_booking.changed')[0].json.data).toMatchObject({ id: next.id, startTime: '06:00', replaces: { id: series.id }, replacedBy: null });
    expect(receiver.ofType('recurring_booking.created')).toHaveLength(1);
  });

  it('refuses bad endpoints with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const create = (url: string, events: WebhookEventType[] = ['SESSION_CREATED']) =>
      server.request(CreateWebhookEndpointDocument, { input: { url, events } }, owner);
    expect(errorOf(await create('ftp://example.com/hook'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await create('not a url'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await create('https://user:pass@example.com/hook'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await create('http://169.254.169.254/latest/meta-data'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await create('http://[fe80::1]/hook'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await create(receiver.url(), []))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.events' });
    expect((await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints).toHaveLength(0);

    const { endpoint: one } = await endpoint(['SESSION_CREATED']);
    expect(errorOf(await server.request(UpdateWebhookEndpointDocument, { input: { id: one.id, url: 'http://169.254.1.1/' } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(errorOf(await server.request(UpdateWebhookEndpointDocument, { input: { id: one.id, events: [] } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.events' });
    expect(errorOf(await server.request(UpdateWebhookEndpointDocument, { input: { id: '00000000-0000-4000-8000-000000000000', enabled: false } }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'input.id' });
    expect((await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints).toEqual([one]);
  });

  it('keeps at most 20 endpoints', async () => {
    for (let i = 0; i < 20; i++) await endpoint(['SESSION_CREATED'], receiver.url(`/hooks/${i}`));
    expect(errorOf(await server.request(CreateWebhookEndpointDocument, { input: { url: receiver.url('/one-more'), events: ['SESSION_CREATED'] } }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    const [first] = (await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints;
    expect(await server.ok(DeleteWebhookEndpointDocument, { id: first.id }, owner)).toEqual({ deleteWebhookEndpoint: true });
    await endpoint(['SESSION_CREATED'], receiver.url('/one-more'));
  });

  it('counts deliveries and pending outbox rows in /metrics', async () => {
    await endpoint(['SESSION_CREATED']);
    const before = (await scrape(server.url)).metrics!;
    await book();
    await receiver.until(() => receiver.received.length === 1);
    await waitFor(async () => {
      const after = (await scrape(server.url)).metrics!;
      return after.value('webhook_deliveries_total', { outcome: 'SENT' }) - before.value('webhook_deliveries_total', { outcome: 'SENT' }) === 1
        && after.value('notification_deliveries_total', { channel: 'WEBHOOK', outcome: 'SENT' }) - before.value('notification_deliveries_total', { channel: 'WEBHOOK', outcome: 'SENT' }) === 1;
    });
    const after = (await scrape(server.url)).metrics!;
    expect(after.series('outbox_pending').map((s) => s.labels.channel).sort()).toEqual(['CHARGE_NOTICES', 'EMAIL', 'WEBHOOK']);
  });
});

describe('webhooks across instances and addresses', () => {
  let db: TestDatabase;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    db = await createTestDatabase();
    receiver = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await receiver.stop();
    await db.drop();
  });

  it('sends each delivery exactly once when two instances deliver the same outbox', async () => {
    const a = await startTestServer({ db, env: FAST });
    const b = await startTestServer({ db, env: FAST });
    try {
      const owner = await a.user('OWNER');
      const studio = await coachWithRoom(a);
      const member = await a.user('MEMBER');
      const { secret } = (await a.ok(CreateWebhookEndpointDocument, { input: { url: receiver.url(), events: ['SESSION_CREATED'] } }, owner)).createWebhookEndpoint;
      // 300 sessions in one statement: one trigger call, 300 deliveries for both workers to race for.
      await db.query(
        `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time)
         SELECT $1, $2, $3, now() + (i || ' days')::interval, now() + (i || ' days')::interval + interval '1 hour' FROM generate_series(1, 300) i`,
        [studio.coach.id, member.id, studio.roomId],
      );
      // Every delivery is sent after a claim, and a claim counts an attempt: once all 300 are SENT
      // after one attempt each, nobody else took one, and every request made has been received.
      const outbox = () => db.query<{ status: string; attempts: number; n: number }>(`SELECT status::text, attempts, count(*)::int AS n FROM outbox_messages WHERE channel = 'WEBHOOK' GROUP BY 1, 2`);
      await waitFor(async () => (await outbox()).every((row) => row.status !== 'PENDING'), 30_000);
      expect(await outbox()).toEqual([{ status: 'SENT', attempts: 1, n: 300 }]);
      const ids = receiver.received.map((hook) => hook.headers['webhook-id']);
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      expect(new Set(receiver.received.map((hook) => hook.json.data.id)).size).toBe(300);
      for (const hook of receiver.received.slice(0, 10)) verify(secret, hook);
    } finally {
      await a.stop();
      await b.stop();
    }
  }, 60_000);

  it('refuses loopback and private URLs unless WEBHOOK_ALLOW_PRIVATE, including names that resolve to them', async () => {
    const server = await startTestServer({ db, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      const owner = await server.user('OWNER');
      for (const url of [receiver.url(), `http://localhost:${receiver.port}/hooks`, `http://[::1]:${receiver.port}/`, `http://[::ffff:127.0.0.1]:${receiver.port}/`, 'http://10.1.2.3/', 'http://192.168.0.10/']) {
        const result = await server.request(CreateWebhookEndpointDocument, { input: { url, events: ['SESSION_CREATED'] } }, owner);
        expect({ url, ...errorOf(result) }).toMatchObject({ url, code: 'BAD_USER_INPUT', field: 'input.url' });
      }
      expect((await server.ok(WebhookEndpointsDocument, {}, owner)).webhookEndpoints).toHaveLength(0);
    } finally {
      await server.stop();
    }
  });

  it('checks the resolved address at delivery: a name that resolves to 127.0.0.1 gets nothing from an instance that does not allow it', async () => {
    // Registered where private receivers were allowed (or before DNS changed)...
    const allowing = await startTestServer({ db, env: FAST });
    const owner = await allowing.user('OWNER');
    const studio = await coachWithRoom(allowing);
    const member = await allowing.user('MEMBER');
    const { endpoint } = (await allowing.ok(CreateWebhookEndpointDocument, { input: { url: `http://localhost:${receiver.port}/hooks`, events: ['SESSION_CREATED'] } }, owner)).createWebhookEndpoint;
    await allowing.stop();
    // ...delivered by an instance that does not allow them.
    const strict = await startTestServer({ db, env: { ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' } });
    try {
      await strict.ok(BookSessionDocument, { input: { coachId: studio.coach.id, memberId: member.id, startTime: wholeHourFromNow(30).toISOString() } }, owner);
      await waitFor(async () => (await strict.ok(WebhookDeliveriesDocument, { endpointId: endpoint.id }, owner)).webhookDeliveries[0]?.status === 'FAILED');
      const [delivery] = (await strict.ok(WebhookDeliveriesDocument, { endpointId: endpoint.id }, owner)).webhookDeliveries;
      expect(delivery).toMatchObject({ attempts: 1, responseStatus: null });
      expect(receiver.received).toHaveLength(0);
      const [{ last_error }] = await db.query<{ last_error: string }>(`SELECT last_error FROM outbox_messages WHERE channel = 'WEBHOOK'`);
      expect(last_error).toMatch(/refused: localhost resolves to .* loopback address/);
      expect((await scrape(strict.url)).metrics!.value('webhook_deliveries_total', { outcome: 'REFUSED' })).toBe(1);
    } finally {
      await strict.stop();
    }
  });
});
