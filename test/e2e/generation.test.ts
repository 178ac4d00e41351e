/**
 * Session generation through its three doors (the generateSessions mutation, the cron
 * endpoint, the in-process schedule) on real databases: what a run creates, skips,
 * completes and ends; that it is idempotent; that two instances running at once create
 * each session once; and that a failed run is recorded and repaired by the next.
 */
import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { ABANDONED_RUN_ERROR } from '../../src/services/generation.service';
import { CreateRecurringBookingDocument, GenerateSessionsDocument, GenerationRunsDocument } from '../generated/graphql';
import { callCron, coachWithRoom, count, DAY, expectedStarts, HOUR, insertSeries, nextWeekday, sessionsOf, today, WEEK, type CoachSetup } from '../support/booking-fixtures';
import { insertSession } from '../support/sessions';
import { createTestDatabase } from '../support/database';
import pg from 'pg';
import { until } from '../support/notifications';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

const CRON_SECRET = 'generation-test-cron-secret-0123456789';
const HORIZON = 6 * WEEK;

async function generate(server: TestServer, owner: TestUser) {
  return (await server.ok(GenerateSessionsDocument, {}, owner)).generateSessions;
}

/** `n` ACTIVE series starting today, one per member, spread over the coach's week without clashes. */
async function manySeries(server: TestServer, studio: CoachSetup, n: number): Promise<{ ids: string[]; expected: number }> {
  const ids: string[] = [];
  let expected = 0;
  const from = new Date();
  for (let i = 0; i < n; i++) {
    const member = await server.user('MEMBER');
    const dayOfWeek = i % 7;
    const startMinute = 30 * Math.floor(i / 7);
    ids.push(await insertSeries(server.db, { memberId: member.id, coachId: studio.coach.id, roomId: studio.roomId, dayOfWeek, startMinute, endMinute: startMinute + 30, startDate: today() }));
    const time = `${String(Math.floor(startMinute / 60)).padStart(2, '0')}:${String(startMinute % 60).padStart(2, '0')}`;
    expected += expectedStarts({ startDate: today(), dayOfWeek, time, from, to: new Date(from.getTime() + HORIZON) }).length;
  }
  return { ids, expected };
}

describe('one database, one server', () => {
  let server: TestServer;
  let owner: TestUser;
  let studio: CoachSetup;

  beforeEach(async () => {
    server = await startTestServer({ env: { CRON_SECRET } });
    owner = await server.user('OWNER');
    studio = await coachWithRoom(server);
  });
  afterEach(() => server.stop());

  it('lets only owners run generateSessions', async () => {
    const member = await server.user('MEMBER');
    expect(errorOf(await server.request(GenerateSessionsDocument, {}, member)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(GenerateSessionsDocument, {}, studio.coach)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(GenerateSessionsDocument, {}, null)).code).toBe('UNAUTHENTICATED');
    expect(await count(server.db, 'generation_runs')).toBe(0);
  });

  it('is idempotent: a second and a third run (mutation, then cron) create nothing and change nothing', async () => {
    const { expected } = await manySeries(server, studio, 10);
    const first = await generate(server, owner);
    expect(first).toMatchObject({ totalGenerated: expected, fromRecurringBookings: 10, skippedConflicts: 0, skippedBlocked: 0, markedCompleted: 0 });
    const snapshot = await server.db.query('SELECT id, start_time, status, updated_at FROM training_sessions ORDER BY id');
    const historyRows = await count(server.db, 'session_status_changes');
    expect(snapshot).toHaveLength(expected);
    expect(historyRows).toBe(expected);

    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 0, fromRecurringBookings: 0, skippedConflicts: 0, skippedBlocked: 0 });
    const cron = await callCron(server, CRON_SECRET);
    expect(cron.body.data).toMatchObject({ totalGenerated: 0, skippedConflicts: 0 });
    expect(await server.db.query('SELECT id, start_time, status, updated_at FROM training_sessions ORDER BY id')).toEqual(snapshot);
    expect(await count(server.db, 'session_status_changes')).toBe(historyRows);

    const runs = (await server.ok(GenerationRunsDocument, {}, owner)).generationRuns;
    expect(runs.map((r) => [r.trigger, r.status, r.totalGenerated])).toEqual([
      ['HTTP', 'SUCCEEDED', 0],
      ['MUTATION', 'SUCCEEDED', 0],
      ['MUTATION', 'SUCCEEDED', expected],
    ]);
  });

  it('does not recreate an occurrence that was cancelled or moved', async () => {
    const { ids } = await manySeries(server, studio, 1);
    await generate(server, owner);
    const sessions = await sessionsOf(server.db, ids[0]);
    const [first, second] = sessions;
    await server.db.query(`UPDATE training_sessions SET status = 'CANCELLED' WHERE id = $1`, [first.id]);
    await server.db.query(`UPDATE training_sessions SET start_time = start_time + interval '2 hours', end_time = end_time + interval '2 hours' WHERE id = $1`, [second.id]);
    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 0, skippedConflicts: 0 });
    expect(await sessionsOf(server.db, ids[0])).toHaveLength(sessions.length);
    for (const slot of [first, second]) {
      expect(await count(server.db, 'training_sessions', 'recurring_booking_id = $1 AND occurrence_start = $2', [ids[0], slot.start])).toBe(1);
    }
  });

  it('marks SCHEDULED sessions that are over as COMPLETED, with history and no actor, and nothing else', async () => {
    const member = await server.user('MEMBER');
    const base = { coachId: studio.coach.id, memberId: member.id, roomId: studio.roomId };
    const past = [];
    for (const hoursAgo of [5, 30, 24 * 9]) {
      const start = new Date(Date.now() - hoursAgo * HOUR);
      past.push(await insertSession(server.db, { ...base, start, end: new Date(start.getTime() + HOUR) }));
    }
    const runningStart = new Date(Date.now() - HOUR / 2);
    const running = await insertSession(server.db, { ...base, start: runningStart, end: new Date(runningStart.getTime() + HOUR) });
    const cancelledStart = new Date(Date.now() - 3 * HOUR);
    const cancelled = await insertSession(server.db, { ...base, start: cancelledStart, end: new Date(cancelledStart.getTime() + HOUR), status: 'CANCELLED' });

    expect(await generate(server, owner)).toMatchObject({ markedCompleted: 3, totalGenerated: 0 });

    const rows = await server.db.query<{ id: string; status: string; completed_at: Date | null }>('SELECT id, status, completed_at FROM training_sessions');
    const statusOf = (id: string) => rows.find((r) => r.id === id)!;
    for (const id of past) {
      expect(statusOf(id).status).toBe('COMPLETED');
      expect(statusOf(id).completed_at).not.toBeNull();
    }
    expect(statusOf(running).status).toBe('SCHEDULED');
    expect(statusOf(cancelled).status).toBe('CANCELLED');
    const history = await server.db.query<{ session_id: string; actor_id: string | null }>(
      "SELECT session_id, actor_id FROM session_status_changes WHERE from_status = 'SCHEDULED' AND to_status = 'COMPLETED'",
    );
    expect(history.map((h) => h.session_id).sort()).toEqual([...past].sort());
    expect(history.every((h) => h.actor_id === null)).toBe(true);
    expect(await generate(server, owner)).toMatchObject({ markedCompleted: 0 });
  });

  it('ends series whose endDate has passed in their own timezone, and only those', async () => {
    const member = await server.user('MEMBER');
    const base = { memberId: member.id, coachId: studio.coach.id, roomId: studio.roomId, dayOfWeek: 3, startMinute: 600, endMinute: 660 };
    const past = await insertSeries(server.db, { ...base, startDate: addDays(today(), -30), endDate: addDays(today(), -1) });
    const endsToday = await insertSeries(server.db, { ...base, startMinute: 700, endMinute: 720, startDate: addDays(today(), -30), endDate: today() });
    // Today in UTC-12 is always yesterday or the day before in UTC+14.
    const farWestToday = localDateOf(new Date(), 'Etc/GMT+12');
    const overInTheEast = await insertSeries(server.db, { ...base, startMinute: 800, endMinute: 820, timezone: 'Etc/GMT-14', startDate: addDays(farWestToday, -30), endDate: farWestToday });
    const runningInTheWest = await insertSeries(server.db, { ...base, startMinute: 900, endMinute: 920, timezone: 'Etc/GMT+12', startDate: addDays(farWestToday, -30), endDate: farWestToday });

    const result = await generate(server, owner);

    expect(result.seriesEnded).toBe(2);
    const status = async (id: string) => (await server.db.query<{ status: string }>('SELECT status FROM recurring_bookings WHERE id = $1', [id]))[0].status;
    expect(await status(past)).toBe('ENDED');
    expect(await status(overInTheEast)).toBe('ENDED');
    expect(await status(endsToday)).toBe('ACTIVE');
    expect(await status(runningInTheWest)).toBe('ACTIVE');
    expect(await count(server.db, 'training_sessions', 'recurring_booking_id = ANY($1::uuid[])', [[past, overInTheEast]])).toBe(0);
  });

  it('skips occurrences inside an availability block (skippedBlocked) and creates the rest', async () => {
    const member = await server.user('MEMBER');
    const startDate = nextWeekday(2);
    const id = await insertSeries(server.db, { memberId: member.id, coachId: studio.coach.id, roomId: studio.roomId, dayOfWeek: 2, startMinute: 600, endMinute: 660, startDate, endDate: addDays(startDate, 21) });
    // The coach is away the whole day of the second Tuesday.
    const blockStart = new Date(`${addDays(startDate, 7)}T00:00:00Z`);
    await server.db.query('INSERT INTO availability_blocks (coach_id, start_time, end_time, reason) VALUES ($1, $2, $3, $4)', [
      studio.coach.id,
      blockStart,
      new Date(blockStart.getTime() + DAY),
      'Holiday',
    ]);

    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 3, skippedBlocked: 1, skippedConflicts: 0, fromRecurringBookings: 1 });
    const starts = (await sessionsOf(server.db, id)).map((s) => s.start.toISOString());
    expect(starts).toEqual([0, 14, 21].map((d) => `${addDays(startDate, d)}T10:00:00.000Z`));
    // Still blocked next time: counted again, never created.
    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 0, skippedBlocked: 1 });
    // Once the coach is back, the next run fills the gap.
    await server.db.query('DELETE FROM availability_blocks WHERE coach_id = $1', [studio.coach.id]);
    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 1, skippedBlocked: 0 });
    expect((await sessionsOf(server.db, id)).map((s) => s.start.toISOString())).toEqual([0, 7, 14, 21].map((d) => `${addDays(startDate, d)}T10:00:00.000Z`));
  });

  it('skips occurrences that would double-book the member or overfill the room (skippedConflicts)', async () => {
    const otherCoach = await coachWithRoom(server);
    const [m1, m2, m3] = [await server.user('MEMBER'), await server.user('MEMBER'), await server.user('MEMBER')];
    const startDate = nextWeekday(4);
    const weekly = { dayOfWeek: 4, startMinute: 540, endMinute: 600, startDate, endDate: addDays(startDate, 14) };
    // Same room (capacity 1), same time, different coaches and members: only one fits each week.
    const a = await insertSeries(server.db, { ...weekly, memberId: m1.id, coachId: studio.coach.id, roomId: studio.roomId });
    const b = await insertSeries(server.db, { ...weekly, memberId: m2.id, coachId: otherCoach.coach.id, roomId: studio.roomId });
    // m3 has a one-off session at the first occurrence of their series.
    const c = await insertSeries(server.db, { ...weekly, startMinute: 720, endMinute: 780, memberId: m3.id, coachId: otherCoach.coach.id, roomId: otherCoach.roomId });
    const first = new Date(`${startDate}T12:30:00Z`);
    await insertSession(server.db, { coachId: studio.coach.id, memberId: m3.id, roomId: studio.roomId, start: first, end: new Date(first.getTime() + HOUR) });

    const result = await generate(server, owner);

    expect(result).toMatchObject({ totalGenerated: 3 + 0 + 2, skippedConflicts: 3 + 1, fromRecurringBookings: 2 });
    expect((await sessionsOf(server.db, a)).length + (await sessionsOf(server.db, b)).length).toBe(3);
    expect(await sessionsOf(server.db, c)).toHaveLength(2);
    const overfilled = await server.db.query(
      `SELECT 1 FROM training_sessions x JOIN training_sessions y ON x.room_id = y.room_id AND x.id < y.id
       AND x.start_time < y.end_time AND y.start_time < x.end_time WHERE x.status <> 'CANCELLED' AND y.status <> 'CANCELLED'`,
    );
    expect(overfilled).toEqual([]);
  });

  it('puts two sessions at the same time into a room of capacity 2', async () => {
    const big = await coachWithRoom(server, { capacity: 2 });
    const otherCoach = await coachWithRoom(server);
    const [m1, m2] = [await server.user('MEMBER'), await server.user('MEMBER')];
    const startDate = nextWeekday(5);
    const weekly = { dayOfWeek: 5, startMinute: 540, endMinute: 600, startDate, endDate: addDays(startDate, 7), roomId: big.roomId };
    await insertSeries(server.db, { ...weekly, memberId: m1.id, coachId: big.coach.id });
    await insertSeries(server.db, { ...weekly, memberId: m2.id, coachId: otherCoach.coach.id });
    expect(await generate(server, owner)).toMatchObject({ totalGenerated: 4, skippedConflicts: 0 });
  });

  it('records a failed run as FAILED, writes nothing, and the next run does the work', async () => {
    const { expected } = await manySeries(server, studio, 5);
    const member = await server.user('MEMBER');
    const start = new Date(Date.now() - 2 * DAY);
    const past = await insertSession(server.db, { coachId: studio.coach.id, memberId: member.id, roomId: studio.roomId, start, end: new Date(start.getTime() + HOUR) });
    // A real failure inside the database: inserting sessions raises, for as long as the trigger exists.
    await server.db.query(`CREATE FUNCTION fail_session_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated disk failure'; END $$`);
    await server.db.query(`CREATE TRIGGER fail_session_insert BEFORE INSERT ON training_sessions FOR EACH STATEMENT EXECUTE FUNCTION fail_session_insert()`);
    const sessionsBefore = await count(server.db, 'training_sessions');

    const failed = await server.request(GenerateSessionsDocument, {}, owner);
    expect(errorOf(failed)).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
    const viaCron = await callCron(server, CRON_SECRET);
    expect(viaCron.status).toBe(500);
    expect(viaCron.body).toEqual({ success: false, error: 'Generation failed', runId: expect.any(String) });

    expect(await count(server.db, 'training_sessions')).toBe(sessionsBefore);
    const [{ status }] = await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [past]);
    expect(status).toBe('SCHEDULED'); // the completion rolled back with the rest
    const runs = (await server.ok(GenerationRunsDocument, { last: 2 }, owner)).generationRuns;
    expect(runs.map((r) => [r.trigger, r.status, r.totalGenerated])).toEqual([
      ['HTTP', 'FAILED', 0],
      ['MUTATION', 'FAILED', 0],
    ]);
    expect(runs[0].id).toBe(viaCron.body.runId);
    expect(runs.every((r) => r.error?.includes('simulated disk failure') && r.finishedAt !== null && r.durationMs !== null)).toBe(true);

    await server.db.query('DROP TRIGGER fail_session_insert ON training_sessions');
    const repaired = await generate(server, owner);
    expect(repaired).toMatchObject({ totalGenerated: expected, markedCompleted: 1, fromRecurringBookings: 5 });
    expect(await count(server.db, 'training_sessions')).toBe(sessionsBefore + expected);
    expect((await server.ok(GenerationRunsDocument, { last: 1 }, owner)).generationRuns[0]).toMatchObject({ status: 'SUCCEEDED', error: null });
  });

  it('records a failed BOOKING run and creates no booking when its generation fails', async () => {
    const member = await server.user('MEMBER');
    await server.db.query(`CREATE FUNCTION fail_session_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated disk failure'; END $$`);
    await server.db.query(`CREATE TRIGGER fail_session_insert BEFORE INSERT ON training_sessions FOR EACH STATEMENT EXECUTE FUNCTION fail_session_insert()`);
    const result = await server.request(
      CreateRecurringBookingDocument,
      { input: { coachId: studio.coach.id, dayOfWeek: 2, startTime: '10:00', endTime: '11:00', startDate: nextWeekday(2) } },
      member,
    );
    expect(errorOf(result).code).toBe('INTERNAL_SERVER_ERROR');
    expect(await count(server.db, 'recurring_bookings')).toBe(0);
    const runs = await server.db.query<{ trigger: string; status: string; error: string }>('SELECT trigger, status, error FROM generation_runs');
    expect(runs).toEqual([{ trigger: 'BOOKING', status: 'FAILED', error: expect.stringContaining('simulated disk failure') }]);
  });

  it('closes a run left RUNNING by a process that died, once it is older than any run can last', async () => {
    const insertRunning = async (minutesAgo: number) =>
      (await server.db.query<{ id: string }>(`INSERT INTO generation_runs (trigger, status, started_at) VALUES ('CRON', 'RUNNING', now() - $1 * interval '1 minute') RETURNING id`, [minutesAgo]))[0].id;
    const [abandoned, recent] = [await insertRunning(60), await insertRunning(2)];
    await generate(server, owner);
    const rows = await server.db.query<{ id: string; status: string; error: string | null; finished: boolean }>(
      'SELECT id, status, error, finished_at IS NOT NULL AS finished FROM generation_runs WHERE id = ANY($1::uuid[])',
      [[abandoned, recent]],
    );
    expect(rows.find((r) => r.id === abandoned)).toMatchObject({ status: 'FAILED', error: ABANDONED_RUN_ERROR, finished: true });
    expect(rows.find((r) => r.id === recent)).toMatchObject({ status: 'RUNNING', error: null, finished: false }); // may still be working
  });

  it('lists runs newest first and refuses `last` outside 1..100', async () => {
    for (let i = 0; i < 3; i++) await generate(server, owner);
    const runs = (await server.ok(GenerationRunsDocument, { last: 2 }, owner)).generationRuns;
    expect(runs).toHaveLength(2);
    expect(new Date(runs[0].startedAt).getTime()).toBeGreaterThanOrEqual(new Date(runs[1].startedAt).getTime());
    for (const last of [0, 101]) {
      expect(errorOf(await server.request(GenerationRunsDocument, { last }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    }
    expect(errorOf(await server.request(GenerationRunsDocument, {}, studio.coach)).code).toBe('FORBIDDEN');
  });
});

describe('two server instances on one database', () => {
  it('create each session once when runs start at the same moment, and their counts add up to the rows created', async () => {
    const db = await createTestDatabase();
    const [a, b] = [await startTestServer({ db, env: { CRON_SECRET } }), await startTestServer({ db, env: { CRON_SECRET } })];
    try {
      const owner = await a.user('OWNER');
      const studios = [await coachWithRoom(a), await coachWithRoom(a), await coachWithRoom(a)];
      let expected = 0;
      for (const studio of studios) expected += (await manySeries(a, studio, 60)).expected;

      const [viaA, viaB, viaMutation] = await Promise.all([callCron(a, CRON_SECRET), callCron(b, CRON_SECRET, 'POST'), b.ok(GenerateSessionsDocument, {}, owner)]);

      const totals = [viaA.body.data!.totalGenerated, viaB.body.data!.totalGenerated, viaMutation.generateSessions.totalGenerated] as number[];
      const rows = await count(db, 'training_sessions');
      expect(rows).toBe(expected);
      expect(totals.reduce((x, y) => x + y, 0)).toBe(rows);
      expect(totals.filter((t) => t === 0)).toHaveLength(2); // the later ones waited for the lock and found nothing to do
      // ... and saw the first run's sessions as existing, not as clashes.
      const skipped = [viaA.body.data!.skippedConflicts, viaB.body.data!.skippedConflicts, viaMutation.generateSessions.skippedConflicts];
      expect(skipped).toEqual([0, 0, 0]);
      expect(await count(db, 'session_status_changes')).toBe(rows);
      const duplicates = await db.query('SELECT recurring_booking_id, occurrence_start FROM training_sessions GROUP BY 1, 2 HAVING count(*) > 1');
      expect(duplicates).toEqual([]);
      const runs = await db.query<{ status: string; started_at: Date; finished_at: Date }>('SELECT status, started_at, finished_at FROM generation_runs ORDER BY finished_at');
      expect(runs.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      // They really ran at the same time: each later run had started before the first one finished.
      expect(runs.every((r) => r.started_at.getTime() <= runs[0].finished_at.getTime())).toBe(true);
    } finally {
      await a.stop();
      await b.stop();
      await db.drop();
    }
  });
});

describe('the in-process schedule', () => {
  it('runs generation on CRON_SCHEDULE (UTC) as trigger CRON, and stops with the server', async () => {
    const server = await startTestServer({ env: { CRON_ENABLED: 'true', CRON_SCHEDULE: '* * * * * *' } });
    try {
      const studio = await coachWithRoom(server);
      // Series appear while the schedule is already ticking: whichever runs pick them up, each session is made once.
      const { expected } = await manySeries(server, studio, 3);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && (await count(server.db, 'training_sessions')) < expected) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const runs = await server.db.query<{ total_generated: number }>("SELECT total_generated FROM generation_runs WHERE trigger = 'CRON' AND status = 'SUCCEEDED'");
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(runs.reduce((sum, r) => sum + r.total_generated, 0)).toBe(expected);
      expect(await count(server.db, 'training_sessions')).toBe(expected);
      expect(await count(server.db, 'generation_runs', "trigger <> 'CRON'")).toBe(0);

      await server.app.stop();
      const after = await count(server.db, 'generation_runs');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await count(server.db, 'generation_runs')).toBe(after);
    } finally {
      await server.stop();
    }
  });
});

describe('a run that waited on the generation lock', () => {
  it('does not mark itself FAILED as abandoned when the wait outlasted the abandonment age', async () => {
    let clock = Date.now();
    const server = await startTestServer({ now: () => new Date(clock) });
    const holder = new pg.Client({ connectionString: server.db.url });
    try {
      const owner = await server.user('OWNER');
      await holder.connect();
      // Another run in progress: this connection holds the generation lock.
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('booking:generation-run', 0))`);
      const pending = generate(server, owner);
      // Wait until the run has recorded itself RUNNING and is blocked on the lock.
      await until(async () => {
        const waiting = await holder.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`);
        return waiting.rows[0].n === 1;
      }, 15_000, 'the run waiting on the generation lock');
      clock += 12 * 60_000; // longer than ABANDONED_AFTER_MS (11 minutes)
      await holder.query('COMMIT');
      const result = await pending;
      const [run] = await server.db.query<{ status: string; error: string | null }>('SELECT status, error FROM generation_runs WHERE id = $1', [result.runId]);
      // Before the fix the sweep marked the run itself FAILED with ABANDONED_RUN_ERROR (and its
      // own final update then wrote SUCCEEDED over the status, keeping the error).
      expect(run).toEqual({ status: 'SUCCEEDED', error: null });
    } finally {
      await holder.end().catch(() => undefined);
      await server.stop();
    }
  });
});
