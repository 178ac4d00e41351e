import pg from 'pg';
import { inTransaction } from '../../src/db/transaction';
import { EVENTS_CHANNEL, LISTENER_APPLICATION_NAME, MAX_NOTIFY_BYTES } from '../../src/events/pg-notify-transport';
import { changeStatus } from '../../src/services/session-writes';
import {
  BookSessionDocument,
  CancelSessionDocument,
  CompleteSessionDocument,
  GenerateSessionsDocument,
  GenerationRunFinishedDocument,
  MeDocument,
  RescheduleSessionDocument,
  SessionChangedBriefDocument,
  SessionChangedDocument,
  SessionChangedHistoryDocument,
  type GenerationRunFinishedSubscription,
  type SessionChangedBriefSubscription,
  type SessionChangedSubscription,
} from '../generated/graphql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { subscribe, waitUntilListening, wsClient, type LiveSubscription } from '../support/live';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';
import { DAY_MS, HOUR_MS, insertRoom, insertSession, weeklyHours, wholeHourFromNow } from '../support/sessions';

/**
 * Live updates over graphql-ws between two server instances on one database: what one
 * instance commits, every instance's subscribers receive (through PostgreSQL
 * LISTEN/NOTIFY), each only what it may see.
 */
let db: TestDatabase;
let a: TestServer;
let b: TestServer;
let owner: TestUser;
let coach: TestUser;
let otherCoach: TestUser;
let mia: TestUser;
let max: TestUser;
let roomId: string;
const clients: ReturnType<typeof wsClient>[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  a = await startTestServer({ db });
  b = await startTestServer({ db });
  owner = await a.user('OWNER');
  coach = await a.user('COACH');
  otherCoach = await a.user('COACH');
  mia = await a.user('MEMBER', 'Mia');
  max = await a.user('MEMBER', 'Max');
  roomId = await insertRoom(db, 10);
  await weeklyHours(db, coach.id);
  await weeklyHours(db, otherCoach.id);
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await a.stop();
  await b.stop();
  await db.drop();
});

function client(server: TestServer, user: TestUser | null, onClosed?: (event: unknown) => void) {
  const created = wsClient(server, user, onClosed);
  clients.push(created);
  return created;
}

// Every arranged session gets two hours of its own, a few days ahead.
let slots = 0;
const nextStart = () => new Date(wholeHourFromNow(72).getTime() + 2 * HOUR_MS * slots++);
const arrange = (member: TestUser, coachId = coach.id) => insertSession(db, { coachId, memberId: member.id, roomId, start: nextStart() });

/** A session of `member` that probes move back and forth: each move is a RESCHEDULED event. */
async function prober(member: TestUser, coachId = coach.id) {
  const start = nextStart();
  slots += 1; // room to move into
  const id = await insertSession(db, { coachId, memberId: member.id, roomId, start });
  let moved = false;
  return {
    id,
    probe: async () => {
      moved = !moved;
      const startTime = new Date(start.getTime() + (moved ? HOUR_MS : 0)).toISOString();
      await b.ok(RescheduleSessionDocument, { id, startTime }, owner);
    },
    arrived: (data: SessionChangedSubscription | SessionChangedBriefSubscription) => data.sessionChanged.kind === 'RESCHEDULED' && data.sessionChanged.session.id === id,
  };
}

/**
 * Sends one more probe and waits until `subscriptions` have received it. Events reach
 * every subscriber in commit order, so once it is in, whatever was committed before it
 * has been offered to them too: what they lack by then, they will never get.
 */
async function probeAgain(prober: { probe(): Promise<void>; arrived(data: SessionChangedSubscription | SessionChangedBriefSubscription): boolean }, ...subscriptions: LiveSubscription<SessionChangedSubscription | SessionChangedBriefSubscription>[]) {
  const seen = subscriptions.map((subscription) => subscription.events.filter((event) => prober.arrived(event.data)).length);
  await prober.probe();
  await Promise.all(
    subscriptions.map((subscription, i) =>
      subscription.until(() => subscription.events.filter((event) => prober.arrived(event.data)).length > seen[i], 10_000, 'the next probe'),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 100)); // other subscriptions' sockets are written independently
}

const statusChangeOf = (id: string) => (data: SessionChangedSubscription) => data.sessionChanged.kind === 'STATUS_CHANGED' && data.sessionChanged.session.id === id;
const sessionIdsOf = (subscription: LiveSubscription<SessionChangedSubscription>) => subscription.events.map((event) => event.data.sessionChanged.session.id);

describe('across two instances', () => {
  it('shows an owner subscribed on A a cancellation made through B, with its new state and history', async () => {
    const ownerOnA = subscribe(client(a, owner), SessionChangedDocument, {});
    const { probe, arrived } = await prober(mia);
    await waitUntilListening(ownerOnA, probe, arrived);

    const id = await arrange(mia);
    await b.ok(CancelSessionDocument, { id, reason: 'Sick' }, mia);
    const { data } = await ownerOnA.next(statusChangeOf(id));
    expect(data.sessionChanged).toMatchObject({
      kind: 'STATUS_CHANGED',
      previousStatus: 'SCHEDULED',
      session: {
        id,
        status: 'CANCELLED',
        cancellationReason: 'Sick',
        coach: { id: coach.id },
        member: { id: mia.id, name: 'Mia' },
        room: { id: roomId },
        history: [
          { from: null, to: 'SCHEDULED', actor: null },
          { from: 'SCHEDULED', to: 'CANCELLED', actor: { id: mia.id } },
        ],
      },
    });
    expect(Math.abs(new Date(data.sessionChanged.at).getTime() - Date.now())).toBeLessThan(60_000);
    ownerOnA.dispose();
  });

  it('delivers CREATED, RESCHEDULED and STATUS_CHANGED with the session as it is now', async () => {
    const coachOnB = subscribe(client(b, coach), SessionChangedDocument, {});
    const { probe, arrived } = await prober(max);
    await waitUntilListening(coachOnB, probe, arrived);
    coachOnB.clear();

    const start = nextStart();
    const booked = await a.ok(BookSessionDocument, { input: { coachId: coach.id, startTime: start.toISOString(), durationMinutes: 60, roomId } }, mia);
    const id = booked.bookSession.id;
    const created = await coachOnB.next((data) => data.sessionChanged.kind === 'CREATED' && data.sessionChanged.session.id === id);
    expect(created.data.sessionChanged).toMatchObject({
      previousStatus: null,
      session: { status: 'SCHEDULED', member: { id: mia.id }, history: [{ from: null, to: 'SCHEDULED', actor: { id: mia.id } }] },
    });

    const later = new Date(start.getTime() + 30 * 60_000).toISOString();
    await a.ok(RescheduleSessionDocument, { id, startTime: later }, coach);
    const rescheduled = await coachOnB.next((data) => data.sessionChanged.kind === 'RESCHEDULED' && data.sessionChanged.session.id === id);
    expect(rescheduled.data.sessionChanged).toMatchObject({ previousStatus: null, session: { status: 'SCHEDULED', startTime: later } });

    await a.ok(CancelSessionDocument, { id }, coach);
    await coachOnB.next(statusChangeOf(id));
    expect(coachOnB.events.filter((event) => event.data.sessionChanged.session.id === id).map((event) => event.data.sessionChanged.kind)).toEqual([
      'CREATED',
      'RESCHEDULED',
      'STATUS_CHANGED',
    ]);
    coachOnB.dispose();
  });

  it('measures the latency from the mutation’s HTTP response to delivery on the other instance', async () => {
    const ownerOnA = subscribe(client(a, owner), SessionChangedBriefDocument, {});
    const { probe, arrived } = await prober(max);
    await waitUntilListening(ownerOnA, probe, arrived);

    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await arrange(max);
      await b.ok(CancelSessionDocument, { id }, owner);
      const responded = performance.now();
      const { receivedAt } = await ownerOnA.next((data) => data.sessionChanged.kind === 'STATUS_CHANGED' && data.sessionChanged.session.id === id);
      samples.push(receivedAt - responded);
    }
    samples.sort((x, y) => x - y);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
    console.log(
      `[subscriptions] mutation response on B -> event on A, ${samples.length} cancellations: ` +
        `min ${at(0)} ms, median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms ` +
        '(negative: the event arrived before the HTTP response was read)',
    );
    expect(samples).toHaveLength(30);
    ownerOnA.dispose();
  });
});

describe('who receives what', () => {
  it('gives a member their own events only, and another member none of them, whatever arguments they pass', async () => {
    const miaOnA = subscribe(client(a, mia), SessionChangedDocument, {});
    const maxClient = client(b, max);
    // Max's widening attempts first, then a plain subscription that probes prove is listening.
    const maxNamingMia = subscribe(maxClient, SessionChangedDocument, { memberId: mia.id });
    const maxNamingCoach = subscribe(maxClient, SessionChangedDocument, { coachId: coach.id });
    const maxOwn = subscribe(maxClient, SessionChangedDocument, {});
    const miaProbe = await prober(mia);
    const maxProbe = await prober(max);
    await waitUntilListening(miaOnA, miaProbe.probe, miaProbe.arrived);
    await waitUntilListening(maxOwn, maxProbe.probe, maxProbe.arrived);
    await maxNamingCoach.next(maxProbe.arrived); // his own session with that coach: the argument narrows to it

    const miasSession = await arrange(mia);
    await b.ok(CancelSessionDocument, { id: miasSession }, mia);
    await miaOnA.next(statusChangeOf(miasSession));

    await probeAgain(maxProbe, maxOwn, maxNamingCoach);

    for (const subscription of [maxNamingMia, maxNamingCoach, maxOwn]) {
      expect(subscription.events.map((event) => event.data.sessionChanged.session.member.id).filter((id) => id !== max.id)).toEqual([]);
      expect(subscription.errors).toEqual([]);
    }
    expect(maxNamingMia.events).toEqual([]);
    expect(sessionIdsOf(miaOnA)).not.toContain(maxProbe.id);
    expect(sessionIdsOf(miaOnA)).toContain(miasSession);
    for (const subscription of [miaOnA, maxNamingMia, maxNamingCoach, maxOwn]) subscription.dispose();
  });

  it('gives a coach the sessions booked with them only', async () => {
    const coachOnA = subscribe(client(a, coach), SessionChangedDocument, {});
    const otherCoachOnA = subscribe(client(a, otherCoach), SessionChangedDocument, { coachId: coach.id });
    const ownProbe = await prober(mia);
    const otherProbe = await prober(mia, otherCoach.id);
    const otherCoachOwn = subscribe(client(a, otherCoach), SessionChangedDocument, {});
    await waitUntilListening(coachOnA, ownProbe.probe, ownProbe.arrived);
    await waitUntilListening(otherCoachOwn, otherProbe.probe, otherProbe.arrived);

    const id = await arrange(mia);
    await b.ok(CancelSessionDocument, { id }, owner);
    await coachOnA.next(statusChangeOf(id));
    await probeAgain(otherProbe, otherCoachOwn);

    expect(otherCoachOnA.events).toEqual([]);
    expect(new Set(sessionIdsOf(otherCoachOwn))).toEqual(new Set([otherProbe.id]));
    expect(sessionIdsOf(coachOnA)).not.toContain(otherProbe.id);
    for (const subscription of [coachOnA, otherCoachOnA, otherCoachOwn]) subscription.dispose();
  });

  it('tells owners that a generation run finished, and refuses the subscription to others', async () => {
    const ownerOnA = subscribe(client(a, owner), GenerationRunFinishedDocument, {});
    const coachTries = subscribe(client(a, coach), GenerationRunFinishedDocument, {});
    await coachTries.until(() => coachTries.errors.length > 0 || coachTries.completed, 10_000, 'a refusal');
    expect(coachTries.errors).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);

    // Runs started through B until the owner on A hears of one (the first may beat the subscription).
    const runs = new Map<string, { totalGenerated: number; markedCompleted: number }>();
    const heard = (data: GenerationRunFinishedSubscription) => runs.has(data.generationRunFinished.id);
    await waitUntilListening(ownerOnA, async () => {
      const { generateSessions } = await b.ok(GenerateSessionsDocument, {}, owner);
      runs.set(generateSessions.runId, { totalGenerated: generateSessions.totalGenerated, markedCompleted: generateSessions.markedCompleted });
    }, heard);
    const { data } = await ownerOnA.next(heard);
    expect(data.generationRunFinished).toMatchObject({ trigger: 'MUTATION', status: 'SUCCEEDED', error: null, ...runs.get(data.generationRunFinished.id) });
    expect(data.generationRunFinished.finishedAt).not.toBeNull();
    expect(coachTries.events).toEqual([]);
    ownerOnA.dispose();
  });
});

describe('connections', () => {
  it.each([
    ['without a token', null],
    ['with an invalid token', 'not-a-token'],
  ])('refuses a websocket connection %s at connect', async (_label, token) => {
    let closeCode: number | undefined;
    const anonymous = client(a, token ? { ...owner, token } : null, (event) => (closeCode = (event as { code: number }).code));
    const attempt = subscribe(anonymous, SessionChangedDocument, {});
    await attempt.until(() => attempt.errors.length > 0, 10_000, 'the refusal');
    expect(closeCode).toBe(4403);
    expect(attempt.events).toEqual([]);
  });

  it('answers an invalid subscription with BAD_USER_INPUT, as over HTTP', async () => {
    const ownerClient = client(a, owner);
    const bad = new Promise<unknown[]>((resolve) => {
      ownerClient.subscribe({ query: 'subscription { sessionChanged(coachId: 5) { nope } }' }, { next: () => undefined, error: (errors) => resolve(errors as unknown[]), complete: () => undefined });
    });
    const errors = (await bad) as { extensions?: { code?: string } }[];
    expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('masks an unexpected error while resolving an event, as over HTTP', async () => {
    const ownerOnA = subscribe(client(a, owner), SessionChangedHistoryDocument, {});
    const { probe, arrived } = await prober(mia);
    await waitUntilListening(ownerOnA, probe, (data) => arrived(data as unknown as SessionChangedSubscription));

    // A history entry the DateTime scalar cannot serialise: resolving `at` fails unexpectedly.
    const id = await arrange(mia);
    await db.query(`UPDATE session_status_changes SET at = 'infinity' WHERE session_id = $1`, [id]);
    await b.request(CancelSessionDocument, { id }, owner);
    await ownerOnA.until(() => ownerOnA.errors.length > 0, 10_000, 'the failed event');
    // The broken entry sorts last (after the cancellation's own entry).
    expect(ownerOnA.errors).toEqual([{ message: 'Internal server error', path: ['sessionChanged', 'session', 'history', 1, 'at'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(JSON.stringify(ownerOnA.errors)).not.toMatch(/invalid|Date|infinity|stack/i);

    // The subscription goes on: the next event is delivered as usual.
    await probe();
    await ownerOnA.until(() => ownerOnA.events.some((event) => event.data.sessionChanged.session.id !== id), 10_000, 'the next event');
    ownerOnA.dispose();
  });

  it('keeps delivering after the listening database connection is killed (it reconnects by itself)', async () => {
    const ownerOnA = subscribe(client(a, owner), SessionChangedBriefDocument, {});
    const { probe, arrived } = await prober(mia);
    await waitUntilListening(ownerOnA, probe, arrived);

    const killed = await db.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS killed, pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`,
      [LISTENER_APPLICATION_NAME],
    );
    expect(killed).toHaveLength(2); // one listener per instance
    expect((await a.request(MeDocument, {}, owner)).errors).toBeUndefined();

    // Changes made while A's listener is away are lost for it (and README says so); later ones arrive.
    ownerOnA.clear();
    await waitUntilListening(ownerOnA, probe, arrived);
    const listeners = async () =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [LISTENER_APPLICATION_NAME]))[0].n);
    for (let attempt = 0; attempt < 50 && (await listeners()) < 2; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listeners()).toBe(2);
    const id = await arrange(mia);
    await b.ok(CancelSessionDocument, { id }, mia);
    await ownerOnA.next((data) => data.sessionChanged.session.id === id);
    ownerOnA.dispose();
  });
});

describe('bulk changes', () => {
  it('sends a few NOTIFYs for 2,000 sessions completed in one transaction, and every subscriber gets every event', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notifications: string[] = [];
    listener.on('notification', (message) => notifications.push(message.payload ?? ''));
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);

    // 2,000 back-to-back sessions of Mia with the coach, all started in the past and still SCHEDULED.
    const ids = (
      await db.query<{ id: string }>(
        `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time)
         SELECT $1, $2, $3, t, t + interval '30 minutes'
         FROM generate_series(1, 2000) i, LATERAL (SELECT $4::timestamptz - i * interval '30 minutes') s(t)
         RETURNING id`,
        [coach.id, mia.id, roomId, new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 400 * DAY_MS)],
      )
    ).map((row) => row.id);

    const ownerOnA = subscribe(client(a, owner), SessionChangedBriefDocument, {});
    const miaOnB = subscribe(client(b, mia), SessionChangedBriefDocument, {});
    const coachOnA = subscribe(client(a, coach), SessionChangedBriefDocument, { memberId: mia.id });
    const maxOnB = subscribe(client(b, max), SessionChangedBriefDocument, {});
    const miaProbe = await prober(mia);
    const maxProbe = await prober(max);
    for (const subscription of [ownerOnA, miaOnB, coachOnA]) await waitUntilListening(subscription, miaProbe.probe, miaProbe.arrived);
    await waitUntilListening(maxOnB, maxProbe.probe, maxProbe.arrived);
    notifications.length = 0;

    // What a generation run does when it marks past sessions COMPLETED: one set-based change, published after commit.
    const started = performance.now();
    const changes = await inTransaction(b.app.db.prisma, (tx) => changeStatus(tx, ids, 'COMPLETED', null, new Date()));
    b.app.events.sessionsChanged(changes);
    expect(changes).toHaveLength(2000);

    const completed = (subscription: LiveSubscription<SessionChangedBriefSubscription>) =>
      subscription.events.filter((event) => event.data.sessionChanged.kind === 'STATUS_CHANGED' && event.data.sessionChanged.session.status === 'COMPLETED');
    for (const subscription of [ownerOnA, miaOnB, coachOnA]) {
      await subscription.until(() => completed(subscription).length >= 2000, 60_000, '2,000 completions');
    }
    const elapsed = performance.now() - started;
    for (const subscription of [ownerOnA, miaOnB, coachOnA]) {
      const received = completed(subscription);
      expect(new Set(received.map((event) => event.data.sessionChanged.session.id))).toEqual(new Set(ids));
      expect(received.every((event) => event.data.sessionChanged.previousStatus === 'SCHEDULED')).toBe(true);
      expect(subscription.errors).toEqual([]);
    }

    const bulk = notifications.filter((payload) => payload.length > 1000);
    expect(bulk.length).toBeGreaterThan(0);
    expect(notifications.length).toBeLessThanOrEqual(10);
    expect(Math.max(...notifications.map((payload) => Buffer.byteLength(payload)))).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
    console.log(
      `[subscriptions] 2,000 completions: ${notifications.length} NOTIFY payloads ` +
        `(largest ${Math.max(...notifications.map((payload) => Buffer.byteLength(payload)))} bytes); ` +
        `all delivered to 3 subscribers on 2 instances in ${elapsed.toFixed(0)} ms`,
    );

    // Max sees none of it: his next own event arrives after the bulk and nothing of Mia's before it.
    await probeAgain(maxProbe, maxOnB);
    expect(maxOnB.events.filter((event) => event.data.sessionChanged.session.member.id !== max.id)).toEqual([]);

    await listener.end();
    for (const subscription of [ownerOnA, miaOnB, coachOnA, maxOnB]) subscription.dispose();
  });
});

describe('the completed session through the API', () => {
  it('is announced to the member on the other instance when their coach completes it', async () => {
    const miaOnB = subscribe(client(b, mia), SessionChangedDocument, {});
    const { probe, arrived } = await prober(mia);
    await waitUntilListening(miaOnB, probe, arrived);
    const start = new Date(wholeHourFromNow(0).getTime() - 5 * DAY_MS - HOUR_MS * slots++);
    const id = await insertSession(db, { coachId: coach.id, memberId: mia.id, roomId, start });
    const result = await a.request(CompleteSessionDocument, { id }, coach);
    expect(errorOf(result).code).toBeUndefined();
    const { data } = await miaOnB.next(statusChangeOf(id));
    expect(data.sessionChanged).toMatchObject({ previousStatus: 'SCHEDULED', session: { status: 'COMPLETED', history: [{ to: 'SCHEDULED' }, { to: 'COMPLETED', actor: { id: coach.id } }] } });
    miaOnB.dispose();
  });
});
