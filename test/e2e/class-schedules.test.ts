import {
  CancelClassScheduleDocument,
  CancelStandingReservationDocument,
  CreateClassScheduleDocument,
  CreateClassTypeDocument,
  CreateStandingReservationDocument,
  GenerateWithClassesDocument,
  ScheduleClassesDocument,
  StandingReservationsDocument,
  type CreateClassScheduleInput,
  type CreateStandingReservationMutation,
} from '../generated/graphql';
import { createRoom } from '../support/schedule';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * Weekly class schedules on a server whose clock the spec moves: a schedule's classes are
 * generated when it is created and by every run after (once per occurrence, at the same
 * wall-clock time across DST changes), standing reservations are seated first in each new
 * class, and classes that are over are completed with their places.
 */
const DAY = 86_400_000;
const WEEK = 7 * DAY;
let clock = Date.now();
let server: TestServer;
let owner: TestUser;
let roomId: string;
let types = 0;

beforeAll(async () => {
  server = await startTestServer({ now: () => new Date(clock) });
  owner = await server.user('OWNER');
  roomId = await createRoom(server, owner, 5);
});
afterAll(() => server.stop());
afterEach(async () => {
  clock = Date.now();
  owner = await server.user('OWNER');
});

/** The local date `days` after the clock's, in `zone`. */
function localDate(days: number, zone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(clock + days * DAY));
}

function wallClock(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' }).format(new Date(iso));
}

async function classType(capacity: number, waitlistCapacity = 0) {
  const input = { name: `Weekly ${(types += 1)}`, durationMinutes: 60, capacity, waitlistCapacity, priceCents: 1500 };
  return (await server.ok(CreateClassTypeDocument, { input }, owner)).createClassType.id;
}

async function schedule(over: Partial<CreateClassScheduleInput> & { capacity?: number; waitlistCapacity?: number } = {}) {
  const { waitlistCapacity, ...rest } = over;
  const coach = await server.user('COACH');
  const input: CreateClassScheduleInput = {
    classTypeId: await classType(over.capacity ?? 10, waitlistCapacity ?? 0),
    coachId: coach.id, roomId, dayOfWeek: 2, startTime: '10:00', startDate: localDate(0), timezone: 'UTC', ...rest,
  };
  return { coach, schedule: (await server.ok(CreateClassScheduleDocument, { input }, owner)).createClassSchedule };
}

const reserve = async (scheduleId: string, member: TestUser) =>
  (await server.ok(CreateStandingReservationDocument, { input: { scheduleId, startDate: localDate(0) } }, member)).createStandingReservation;

const generate = async () => (await server.ok(GenerateWithClassesDocument, {}, owner)).generateSessions;

async function classRows(scheduleId: string) {
  return server.db.query<{ id: string; start: string; status: string }>(
    `SELECT id::text, start_time AS start, status::text FROM class_sessions WHERE schedule_id = $1 ORDER BY start_time`, [scheduleId]);
}

describe('a class schedule', () => {
  it('has its classes for the whole horizon when it is created, each once, however many runs follow', async () => {
    const { schedule: s } = await schedule({ startTime: '18:30', endTime: '19:45' });
    // Six weeks ahead: six Tuesdays, seven when today is a Tuesday before 18:30.
    expect(s.sessions.length).toBeGreaterThanOrEqual(6);
    expect(s.sessions.length).toBeLessThanOrEqual(7);
    for (const c of s.sessions) {
      expect(wallClock(c.startTime, 'UTC')).toBe('Tue 18:30');
      expect(new Date(c.endTime).getTime() - new Date(c.startTime).getTime()).toBe(75 * 60_000);
      expect(c.schedule?.id).toBe(s.id);
      expect(c).toMatchObject({ capacity: 10, status: 'SCHEDULED', bookedCount: 0 });
    }
    const [first, second] = await Promise.all([generate(), generate()]);
    expect(first.classesGenerated + second.classesGenerated).toBe(0);
    expect(await classRows(s.id)).toHaveLength(s.sessions.length);

    // A week later the run adds the one week that came into the horizon, nothing else.
    clock += WEEK;
    const later = await generate();
    expect(later.classesGenerated).toBeGreaterThanOrEqual(1);
    expect((await classRows(s.id)).length).toBe(s.sessions.length + 1);
    const one = (await server.ok(ScheduleClassesDocument, { id: s.sessions[0]!.id }, owner)).classSession;
    expect(one?.schedule?.id).toBe(s.id);
  });

  it('keeps its wall-clock time across a DST change of its zone', async () => {
    // Late February: the six weeks ahead cross New York's spring-forward (second Sunday of March).
    clock = Date.parse(`${new Date().getUTCFullYear() + 1}-02-20T12:00:00Z`);
    owner = await server.user('OWNER'); // signed in on that day
    const zone = 'America/New_York';
    const { schedule: s } = await schedule({ timezone: zone, startDate: localDate(0, zone), startTime: '07:00' });
    const offsets = new Set(s.sessions.map((c) => new Date(c.startTime).getUTCHours()));
    expect(offsets).toEqual(new Set([12, 11])); // 07:00 EST, then 07:00 EDT
    for (const c of s.sessions) expect(wallClock(c.startTime, zone)).toBe('Tue 07:00');
  });

  it('refuses bad input with the field, and writes nothing', async () => {
    const coach = await server.user('COACH');
    const typeId = await classType(5);
    const base = { classTypeId: typeId, coachId: coach.id, roomId, dayOfWeek: 3, startTime: '09:00', startDate: localDate(0) };
    const before = await server.db.query(`SELECT count(*)::int AS n FROM class_schedules`);
    const cases: [Partial<CreateClassScheduleInput>, string, string][] = [
      [{ classTypeId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'input.classTypeId'],
      [{ dayOfWeek: 7 }, 'BAD_USER_INPUT', 'input.dayOfWeek'],
      [{ startTime: '09:00:30' }, 'BAD_USER_INPUT', 'input.startTime'],
      [{ endTime: '08:00' }, 'BAD_USER_INPUT', 'input.endTime'],
      [{ timezone: 'Mars/Olympus' }, 'BAD_USER_INPUT', 'input.timezone'],
      [{ startDate: localDate(-2) }, 'BAD_USER_INPUT', 'input.startDate'],
      [{ endDate: localDate(-1) }, 'BAD_USER_INPUT', 'input.endDate'],
      [{ capacity: 0 }, 'BAD_USER_INPUT', 'input.capacity'],
    ];
    for (const [over, code, field] of cases) {
      const error = errorOf(await server.request(CreateClassScheduleDocument, { input: { ...base, ...over } }, owner));
      expect({ over, code: error.code, field: error.field }).toEqual({ over, code, field });
    }
    const member = await server.user('MEMBER');
    expect(errorOf(await server.request(CreateClassScheduleDocument, { input: base }, member)).code).toBe('FORBIDDEN');
    expect(await server.db.query(`SELECT count(*)::int AS n FROM class_schedules`)).toEqual(before);

    // The same coach cannot teach two weekly classes at once.
    await server.ok(CreateClassScheduleDocument, { input: base }, owner);
    const clash = errorOf(await server.request(CreateClassScheduleDocument, { input: { ...base, startTime: '09:30' } }, owner));
    expect(clash.code).toBe('CONFLICT');
  });
});

describe('standing reservations', () => {
  it('enroll their members in the classes already there, and seat them first in every new class', async () => {
    const { schedule: s } = await schedule({ capacity: 2, waitlistCapacity: 1, dayOfWeek: 4, startTime: '07:00' });
    const people = await Promise.all([1, 2, 3, 4].map(() => server.user('MEMBER')));
    const reservations: CreateStandingReservationMutation['createStandingReservation'][] = [];
    for (const m of people) {
      reservations.push((await server.ok(CreateStandingReservationDocument, { input: { scheduleId: s.id, startDate: localDate(0) } }, m)).createStandingReservation);
    }
    // Arrival order: two places, one waitlist place, and nothing for the fourth.
    expect(reservations.map((r) => r.enrollments.length)).toEqual([s.sessions.length, s.sessions.length, s.sessions.length, 0]);
    expect(reservations[0]!.enrollments.every((e) => e.status === 'BOOKED' && e.standingReservation?.id === reservations[0]!.id)).toBe(true);
    expect(reservations[2]!.enrollments.every((e) => e.status === 'WAITLISTED' && e.waitlistPosition === 1)).toBe(true);

    // A member reads their own; the schedule's owner sees all four.
    const mine = (await server.ok(StandingReservationsDocument, {}, people[0]!)).standingReservations;
    expect(mine.map((r) => r.id)).toEqual([reservations[0]!.id]);
    expect((await server.ok(StandingReservationsDocument, { scheduleId: s.id }, owner)).standingReservations).toHaveLength(4);

    // A week on, the new class comes with its standing members before anyone could enroll.
    clock += WEEK;
    const run = await generate();
    expect(run).toMatchObject({ standingBooked: 2, standingWaitlisted: 1, standingSkipped: 1 });
    const newest = (await classRows(s.id)).at(-1)!;
    const seated = await server.db.query<{ member: string; status: string; reason: string | null }>(
      `SELECT e.member_id::text AS member, e.status::text, h.reason FROM enrollments e
       JOIN enrollment_status_changes h ON h.enrollment_id = e.id WHERE e.class_session_id = $1 ORDER BY e.joined_at, e.arrival`, [newest.id]);
    expect(seated).toEqual([
      { member: people[0]!.id, status: 'BOOKED', reason: 'standing reservation' },
      { member: people[1]!.id, status: 'BOOKED', reason: 'standing reservation' },
      { member: people[2]!.id, status: 'WAITLISTED', reason: 'standing reservation' },
    ]);
    // The one who found it full is told, once per class; the others got what they asked for.
    const told = await server.db.query<{ user: string; n: number }>(
      `SELECT user_id::text AS user, count(*)::int AS n FROM notifications WHERE kind = 'CLASS_WAITLISTED' AND user_id = ANY($1::uuid[]) GROUP BY user_id`,
      [people.map((p) => p.id)]);
    expect(told).toEqual([{ user: people[2]!.id, n: s.sessions.length + 1 }]);
  });

  it('are refused for another member, a second time, or a past date', async () => {
    const { schedule: s } = await schedule({ dayOfWeek: 5, startTime: '12:00' });
    const [a, b] = await Promise.all([server.user('MEMBER'), server.user('MEMBER')]);
    const input = { scheduleId: s.id, startDate: localDate(0) };
    expect(errorOf(await server.request(CreateStandingReservationDocument, { input: { ...input, memberId: b.id } }, a)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(CreateStandingReservationDocument, { input: { ...input, startDate: localDate(-3) } }, a))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startDate' });
    await server.ok(CreateStandingReservationDocument, { input }, a);
    expect(errorOf(await server.request(CreateStandingReservationDocument, { input }, a)).code).toBe('CONFLICT');
  });
});

describe('a run after a class', () => {
  it('completes it: its places ATTENDED with a CLASS charge each, its line EXPIRED', async () => {
    const { schedule: s } = await schedule({ capacity: 1, waitlistCapacity: 1, dayOfWeek: 1, startTime: '06:00' });
    const [a, b] = await Promise.all([server.user('MEMBER'), server.user('MEMBER')]);
    for (const m of [a, b]) await server.ok(CreateStandingReservationDocument, { input: { scheduleId: s.id, startDate: localDate(0) } }, m);
    const first = s.sessions[0]!;
    clock = new Date(first.endTime).getTime() + 60_000;
    const run = await generate();
    expect(run.classesCompleted).toBeGreaterThanOrEqual(1);
    const rows = await server.db.query<{ member: string; status: string; charges: number }>(
      `SELECT e.member_id::text AS member, e.status::text,
              (SELECT count(*)::int FROM charges c WHERE c.enrollment_id = e.id AND c.kind = 'CLASS') AS charges
       FROM enrollments e WHERE e.class_session_id = $1 ORDER BY e.joined_at, e.arrival`, [first.id]);
    expect(rows).toEqual([{ member: a.id, status: 'ATTENDED', charges: 1 }, { member: b.id, status: 'EXPIRED', charges: 0 }]);
    expect((await classRows(s.id))[0]!.status).toBe('COMPLETED');
    expect((await generate()).classesCompleted).toBe(0);
  });
});

describe('cancelling a class schedule', () => {
  it('from a later date ends it the day before: the classes from then on are cancelled with their places, the earlier ones stay', async () => {
    const { schedule: s } = await schedule({ capacity: 1, waitlistCapacity: 1, dayOfWeek: 3, startTime: '08:00' });
    const [a, b] = await Promise.all([server.user('MEMBER'), server.user('MEMBER')]);
    await reserve(s.id, a);
    await reserve(s.id, b);
    const cut = s.sessions[2]!;
    const fromDate = cut.startTime.slice(0, 10);
    const cancelled = (await server.ok(CancelClassScheduleDocument, { id: s.id, fromDate, reason: 'Studio refit' }, owner)).cancelClassSchedule;
    expect(cancelled.status).toBe('ACTIVE');
    expect(cancelled.endDate).toBe(new Date(Date.parse(fromDate) - DAY).toISOString().slice(0, 10));
    expect(cancelled.sessions.map((c) => c.status)).toEqual(s.sessions.map((c) => (c.startTime < fromDate ? 'SCHEDULED' : 'CANCELLED')));
    for (const c of cancelled.sessions.filter((c) => c.status === 'CANCELLED')) expect(c).toMatchObject({ bookedCount: 0, waitlistCount: 0 });
    // Every place in those classes is given up, the booked and the waitlisted alike; the standing reservations stay for the weeks before.
    const places = await server.db.query<{ status: string; n: number }>(
      `SELECT e.status::text, count(*)::int AS n FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
       WHERE c.schedule_id = $1 AND c.start_time >= $2 GROUP BY e.status`, [s.id, fromDate]);
    expect(places).toEqual([{ status: 'CANCELLED', n: 2 * (s.sessions.length - 2) }]);
    expect((await server.ok(StandingReservationsDocument, { scheduleId: s.id }, owner)).standingReservations.map((r) => r.status)).toEqual(['ACTIVE', 'ACTIVE']);

    // Later runs generate nothing after the end.
    clock += 2 * WEEK;
    await generate();
    expect(await classRows(s.id)).toHaveLength(s.sessions.length);
  });

  it('from today cancels it with its standing reservations, and refuses a second time, a past date and members, writing nothing', async () => {
    const { schedule: s } = await schedule({ dayOfWeek: 6, startTime: '09:00' });
    const member = await server.user('MEMBER');
    await reserve(s.id, member);
    const before = await server.db.query(`SELECT status::text FROM class_sessions WHERE schedule_id = $1`, [s.id]);
    expect(errorOf(await server.request(CancelClassScheduleDocument, { id: s.id, fromDate: localDate(-1) }, owner))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fromDate' });
    expect(errorOf(await server.request(CancelClassScheduleDocument, { id: s.id, fromDate: '2026-02-30' }, owner)).code).toBe('BAD_USER_INPUT');
    expect(errorOf(await server.request(CancelClassScheduleDocument, { id: s.id }, member)).code).toBe('FORBIDDEN');
    expect(errorOf(await server.request(CancelClassScheduleDocument, { id: '00000000-0000-4000-8000-000000000000' }, owner))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(await server.db.query(`SELECT status::text FROM class_sessions WHERE schedule_id = $1`, [s.id])).toEqual(before);

    const cancelled = (await server.ok(CancelClassScheduleDocument, { id: s.id }, owner)).cancelClassSchedule;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.sessions.every((c) => c.status === 'CANCELLED')).toBe(true);
    expect((await server.ok(StandingReservationsDocument, { memberId: member.id }, owner)).standingReservations.map((r) => r.status)).toEqual(['CANCELLED']);
    expect(errorOf(await server.request(CancelClassScheduleDocument, { id: s.id }, owner)).code).toBe('CONFLICT');
    clock += WEEK;
    await generate();
    expect(await classRows(s.id)).toHaveLength(s.sessions.length);
  });
});

describe('cancelling a standing reservation', () => {
  it('gives up its places in the classes ahead, each filled from the waitlist at once; the runs after seat it no more', async () => {
    const { schedule: s } = await schedule({ capacity: 1, waitlistCapacity: 1, dayOfWeek: 2, startTime: '14:00' });
    const [holder, waiting, other] = await Promise.all([server.user('MEMBER'), server.user('MEMBER'), server.user('MEMBER')]);
    const held = await reserve(s.id, holder);
    await reserve(s.id, waiting);
    // Not theirs to cancel: as if it did not exist (members, another schedule's coach).
    expect(errorOf(await server.request(CancelStandingReservationDocument, { id: held.id }, other))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    expect(errorOf(await server.request(CancelStandingReservationDocument, { id: held.id }, await server.user('COACH'))).code).toBe('NOT_FOUND');

    // Two hours before the first class: that place is given up late (its fee), the rest freely.
    clock = new Date(s.sessions[0]!.startTime).getTime() - 2 * 3_600_000;
    const cancelled = (await server.ok(CancelStandingReservationDocument, { id: held.id }, holder)).cancelStandingReservation;
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.enrollments.map((e) => e.status)).toEqual(['LATE_CANCELLED', ...s.sessions.slice(1).map(() => 'CANCELLED')]);
    const fees = await server.db.query<{ kind: string }>(`SELECT kind::text FROM charges WHERE member_id = $1`, [holder.id]);
    expect(fees).toEqual([{ kind: 'LATE_CANCEL_FEE' }]);
    // The next in line: offered the place that is too close to auto-promote, booked into the others.
    const line = await server.db.query<{ status: string }>(
      `SELECT e.status::text FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
       WHERE e.member_id = $1 AND c.schedule_id = $2 ORDER BY c.start_time`, [waiting.id, s.id]);
    expect(line.map((r) => r.status)).toEqual(['OFFERED', ...s.sessions.slice(1).map(() => 'BOOKED')]);
    expect(errorOf(await server.request(CancelStandingReservationDocument, { id: held.id }, holder)).code).toBe('CONFLICT');

    clock += WEEK;
    expect(await generate()).toMatchObject({ standingBooked: 1, standingWaitlisted: 0 });
    const newest = (await classRows(s.id)).at(-1)!;
    expect(await server.db.query(`SELECT member_id::text AS member FROM enrollments WHERE class_session_id = $1`, [newest.id])).toEqual([{ member: waiting.id }]);
  });
});
