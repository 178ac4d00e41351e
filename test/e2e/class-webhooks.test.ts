import { Webhook } from 'standardwebhooks';
import {
  CancelClassSessionDocument,
  CancelEnrollmentDocument,
  ChangeClassCapacityDocument,
  CreateClassTypeDocument,
  CreateWebhookEndpointDocument,
  EnrollInClassDocument,
  ScheduleClassDocument,
} from '../generated/graphql';
import { outboxSettled } from '../support/notifications';
import { createRoom } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';
import { WebhookReceiver, type ReceivedHook } from '../support/webhook-receiver';

/** Class webhooks to a real receiver on 127.0.0.1, signed as Standard Webhooks, one per change, in commit order. */
const HOUR = 3_600_000;
let server: TestServer;
let receiver: WebhookReceiver;
let owner: TestUser;
let secret: string;

beforeAll(async () => {
  server = await startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '200ms', OUTBOX_POLL_INTERVAL_MS: '100' } });
  receiver = await new WebhookReceiver().start();
  owner = await server.user('OWNER');
  const events = ['CLASS_SESSION_CREATED', 'CLASS_SESSION_CANCELLED', 'CLASS_SESSION_CAPACITY_CHANGED', 'ENROLLMENT_CREATED', 'ENROLLMENT_CHANGED'] as const;
  secret = (await server.ok(CreateWebhookEndpointDocument, { input: { url: receiver.url(), events: [...events] } }, owner)).createWebhookEndpoint.secret;
});
afterAll(async () => {
  await server.stop();
  await receiver.stop();
});

const verified = (hook: ReceivedHook) =>
  new Webhook(secret).verify(hook.body, { 'webhook-id': hook.headers['webhook-id'], 'webhook-timestamp': hook.headers['webhook-timestamp'], 'webhook-signature': hook.headers['webhook-signature'] });

describe('class webhooks', () => {
  it('announce a class, its enrollments, a promotion, a capacity change and the cancel, each once', async () => {
    const coach = await server.user('COACH');
    const roomId = await createRoom(server, owner, 3);
    const typeId = (await server.ok(CreateClassTypeDocument, { input: { name: 'Rowing', durationMinutes: 50, capacity: 1, waitlistCapacity: 2 } }, owner)).createClassType.id;
    const start = new Date(Math.ceil((Date.now() + 72 * HOUR) / HOUR) * HOUR);
    const cls = (await server.ok(ScheduleClassDocument, { input: { classTypeId: typeId, coachId: coach.id, roomId, startTime: start.toISOString() } }, owner)).scheduleClass;
    const [a, b] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const held = (await server.ok(EnrollInClassDocument, { sessionId: cls.id }, a)).enrollInClass;
    const waiting = (await server.ok(EnrollInClassDocument, { sessionId: cls.id }, b)).enrollInClass;
    await server.ok(CancelEnrollmentDocument, { id: held.id }, a);
    await server.ok(ChangeClassCapacityDocument, { id: cls.id, capacity: 2 }, owner);
    await server.ok(CancelClassSessionDocument, { id: cls.id, reason: 'Flooded' }, owner);

    await receiver.until(() => receiver.received.length >= 8);
    await outboxSettled(server.db);
    const hooks = receiver.received.map((hook) => verified(hook) as ReceivedHook['json']);
    // Deliveries run side by side: compared as a set, and each exactly once.
    const summary = hooks.map((h) => JSON.stringify([h.type, h.data.id, h.data.status, h.data.previousStatus ?? h.data.previousCapacity ?? null]));
    expect(summary.sort()).toEqual([
      ['class_session.created', cls.id, 'SCHEDULED', null],
      ['enrollment.created', held.id, 'BOOKED', null],
      ['enrollment.created', waiting.id, 'WAITLISTED', null],
      ['enrollment.changed', held.id, 'CANCELLED', 'BOOKED'],
      ['enrollment.changed', waiting.id, 'BOOKED', 'WAITLISTED'],
      ['class_session.capacity_changed', cls.id, 'SCHEDULED', 1],
      ['class_session.cancelled', cls.id, 'CANCELLED', null],
      ['enrollment.changed', waiting.id, 'CANCELLED', 'BOOKED'],
    ].map((row) => JSON.stringify(row)).sort());
    const of = (type: string) => hooks.find((h) => h.type === type)!.data;
    expect(of('class_session.created')).toMatchObject({ classType: { id: typeId }, coach: { id: coach.id }, room: { id: roomId }, startTime: start.toISOString(), capacity: 1, bookedCount: 0 });
    expect(of('class_session.cancelled')).toMatchObject({ cancellationReason: 'Flooded', bookedCount: 0 });
  });
});
