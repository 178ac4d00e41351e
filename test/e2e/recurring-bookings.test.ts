import { addDays, dayOfWeekOf } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import {
  CancelRecurringBookingDocument,
  CreateRecurringBookingDocument,
  RecurringBookingDocument,
  RecurringBookingsDocument,
  RecurringBookingWithSessionsDocument,
  SessionDocument,
  type CreateRecurringBookingInput,
} from '../generated/graphql';
import { at, coachWithRoom, count, HOUR, nextWeekday, sessionsOf, setWeeklyHours, today, type CoachSetup } from '../support/booking-fixtures';
import { insertSession } from '../support/sessions';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

let server: TestServer;
let owner: TestUser;
let studio: CoachSetup;
let otherStudio: CoachSetup;
let member: TestUser;
let otherMember: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  studio = await coachWithRoom(server, { name: 'Coach One' });
  otherStudio = await coachWithRoom(server, { name: 'Coach Two' });
  member = await server.user('MEMBER', 'Member One');
  otherMember = await server.user('MEMBER', 'Member Two');
});
afterAll(() => server.stop());

/** A weekly slot nobody else uses: each test books its own hour so tests stay independent. */
let hourCounter = 0; // hours 01 to 23: one per test that needs a slot
function freshSlot(dayOfWeek = 2): Pick<CreateRecurringBookingInput, 'dayOfWeek' | 'startTime' | 'endTime' | 'startDate'> {
  hourCounter += 1;
  if (hourCounter > 23) throw new Error('freshSlot: out of hours; give the new test another weekday or coach');
  const h = String(hourCounter).padStart(2, '0');
  return { dayOfWeek, startTime: `${h}:00`, endTime: `${h}:45`, startDate: nextWeekday(dayOfWeek) };
}

const create = (input: CreateRecurringBookingInput, as: TestUser) => server.request(CreateRecurringBookingDocument, { input }, as);
const book = async (input: CreateRecurringBookingInput, as: TestUser) => (await server.ok(CreateRecurringBookingDocument, { input }, as)).createRecurringBooking;

async function rowCounts() {
  return {
    series: await count(server.db, 'recurring_bookings'),
    sessions: await count(server.db, 'training_sessions'),
    history: await count(server.db, 'session_status_changes'),
    runs: await count(server.db, 'generation_runs'),
  };
}

describe('createRecurringBooking', () => {
  it('lets an owner book for a member, in a chosen room and timezone, with a price', async () => {
    const slot = { ...freshSlot(4), startDate: nextWeekday(4, 'Europe/Berlin') };
    const booking = await book(
      { ...slot, coachId: studio.coach.id, memberId: member.id, roomId: otherStudio.roomId, timezone: 'europe/berlin', priceCents: 4500, endDate: addDays(slot.startDate, 21) },
      owner,
    );
    expect(booking).toMatchObject({
      member: { id: member.id },
      coach: { id: studio.coach.id },
      room: { id: otherStudio.roomId },
      timezone: 'Europe/Berlin', // stored in its canonical spelling
      priceCents: 4500,
      endDate: addDays(slot.startDate, 21),
    });
    // endDate is inclusive: four weeks from startDate to startDate + 21 days.
    expect(await sessionsOf(server.db, booking.id)).toHaveLength(4);
  });

  it('judges "startDate in the past" in the series timezone, not the server\'s', async () => {
    // Etc/GMT+12 (UTC-12) and Etc/GMT-14 (UTC+14) are 26 hours apart: today over there is always a past date over here.
    const farWestToday = localDateOf(new Date(), 'Etc/GMT+12');
    const dayOfWeek = dayOfWeekOf(addDays(farWestToday, 7));
    const base = { coachId: studio.coach.id, dayOfWeek, startTime: '23:00', endTime: '23:30', startDate: farWestToday };
    expect(errorOf(await create({ ...base, timezone: 'Etc/GMT-14' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startDate' });
    const accepted = await book({ ...base, timezone: 'Etc/GMT+12' }, member);
    expect(accepted).toMatchObject({ startDate: farWestToday, timezone: 'Etc/GMT+12' });
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: accepted.id } }, owner);
  });

  describe('bad input: the contract code naming the field, and nothing written', () => {
    const monday = () => nextWeekday(1);
    type Case = [string, () => Promise<{ input: CreateRecurringBookingInput; as?: TestUser }>, string, string | undefined];
    const valid = (): CreateRecurringBookingInput => ({ coachId: studio.coach.id, dayOfWeek: 1, startTime: '05:00', endTime: '06:00', startDate: monday() });
    const cases: Case[] = [
      ['dayOfWeek 7', async () => ({ input: { ...valid(), dayOfWeek: 7 } }), 'BAD_USER_INPUT', 'input.dayOfWeek'],
      ['dayOfWeek -1', async () => ({ input: { ...valid(), dayOfWeek: -1 } }), 'BAD_USER_INPUT', 'input.dayOfWeek'],
      ['startTime 25:00', async () => ({ input: { ...valid(), startTime: '25:00' } }), 'BAD_USER_INPUT', 'input.startTime'],
      ['startTime 9:00 (one digit)', async () => ({ input: { ...valid(), startTime: '9:00' } }), 'BAD_USER_INPUT', 'input.startTime'],
      ['startTime with seconds past the minute', async () => ({ input: { ...valid(), startTime: '05:00:30' } }), 'BAD_USER_INPUT', 'input.startTime'],
      ['endTime 10:60', async () => ({ input: { ...valid(), endTime: '10:60' } }), 'BAD_USER_INPUT', 'input.endTime'],
      ['endTime equal to startTime', async () => ({ input: { ...valid(), endTime: '05:00' } }), 'BAD_USER_INPUT', 'input.endTime'],
      ['endTime before startTime', async () => ({ input: { ...valid(), endTime: '04:30' } }), 'BAD_USER_INPUT', 'input.endTime'],
      ['an impossible startDate (February 30th)', async () => ({ input: { ...valid(), startDate: '2030-02-30' } }), 'BAD_USER_INPUT', 'input.startDate'],
      ['a malformed startDate', async () => ({ input: { ...valid(), startDate: '2030-2-3' } }), 'BAD_USER_INPUT', 'input.startDate'],
      ['startDate yesterday', async () => ({ input: { ...valid(), startDate: addDays(today(), -1) } }), 'BAD_USER_INPUT', 'input.startDate'],
      ['endDate before startDate', async () => ({ input: { ...valid(), endDate: addDays(monday(), -1) } }), 'BAD_USER_INPUT', 'input.endDate'],
      ['a date range without that weekday', async () => ({ input: { ...valid(), dayOfWeek: 5, endDate: addDays(monday(), 1) } }), 'BAD_USER_INPUT', 'input.endDate'],
      ['an impossible endDate', async () => ({ input: { ...valid(), endDate: '2031-04-31' } }), 'BAD_USER_INPUT', 'input.endDate'],
      ['an unknown timezone', async () => ({ input: { ...valid(), timezone: 'Mars/Olympus_Mons' } }), 'BAD_USER_INPUT', 'input.timezone'],
      ['a UTC offset instead of a timezone', async () => ({ input: { ...valid(), timezone: '+02:00' } }), 'BAD_USER_INPUT', 'input.timezone'],
      ['an empty timezone', async () => ({ input: { ...valid(), timezone: '' } }), 'BAD_USER_INPUT', 'input.timezone'],
      ['a negative price', async () => ({ input: { ...valid(), priceCents: -1 } }), 'BAD_USER_INPUT', 'input.priceCents'],
      ['an unknown coach', async () => ({ input: { ...valid(), coachId: '00000000-0000-4000-8000-000000000000' } }), 'NOT_FOUND', 'input.coachId'],
      ['a member as the coach', async () => ({ input: { ...valid(), coachId: otherMember.id } }), 'NOT_FOUND', 'input.coachId'],
      ['a coach id that is not an id', async () => ({ input: { ...valid(), coachId: 'coach-abc' } }), 'NOT_FOUND', 'input.coachId'],
      ['an owner booking for an unknown member', async () => ({ input: { ...valid(), memberId: '00000000-0000-4000-8000-000000000000' }, as: owner }), 'NOT_FOUND', 'input.memberId'],
      ['an owner booking for a coach as the member', async () => ({ input: { ...valid(), memberId: otherStudio.coach.id }, as: owner }), 'NOT_FOUND', 'input.memberId'],
      ['an owner booking without memberId', async () => ({ input: valid(), as: owner }), 'BAD_USER_INPUT', 'input.memberId'],
      ['an unknown room', async () => ({ input: { ...valid(), roomId: '00000000-0000-4000-8000-000000000000' } }), 'NOT_FOUND', 'input.roomId'],
      [
        'a coach without a default room',
        async () => {
          const coach = await server.user('COACH');
          await setWeeklyHours(server.db, coach.id, [{ dayOfWeek: 1, startMinute: 0, endMinute: 1440 }]);
          return { input: { ...valid(), coachId: coach.id } };
        },
        'BAD_USER_INPUT',
        'input.roomId',
      ],
      [
        "a slot outside the coach's weekly hours",
        async () => {
          const coach = await coachWithRoom(server);
          await setWeeklyHours(server.db, coach.coach.id, [{ dayOfWeek: 1, startMinute: 9 * 60, endMinute: 12 * 60 }]);
          return { input: { ...valid(), coachId: coach.coach.id, startTime: '11:30', endTime: '12:30' } };
        },
        'BAD_USER_INPUT',
        'input.startTime',
      ],
      [
        "a series starting in a year and a half, outside the coach's weekly hours",
        async () => {
          const coach = await coachWithRoom(server);
          await setWeeklyHours(server.db, coach.coach.id, [{ dayOfWeek: 1, startMinute: 9 * 60, endMinute: 12 * 60 }]);
          return { input: { ...valid(), coachId: coach.coach.id, startTime: '13:00', endTime: '14:00', startDate: nextWeekday(1, 'UTC', 78) } };
        },
        'BAD_USER_INPUT',
        'input.startTime',
      ],
      ['a member booking for another member', async () => ({ input: { ...valid(), memberId: otherMember.id } }), 'FORBIDDEN', undefined],
      ['a coach booking a series', async () => ({ input: valid(), as: studio.coach }), 'FORBIDDEN', undefined],
    ];

    it.each(cases)('refuses %s', async (_label, arrange, code, field) => {
      const { input, as } = await arrange();
      const before = await rowCounts();
      const result = await create(input, as ?? member);
      expect(errorOf(result)).toMatchObject({ code, ...(field ? { field } : {}) });
      expect(result.data?.createRecurringBooking ?? null).toBeNull();
      expect(await rowCounts()).toEqual(before);
    });

    it('says why when the coach has no default room', async () => {
      const coach = await server.user('COACH');
      await setWeeklyHours(server.db, coach.id, [{ dayOfWeek: 1, startMinute: 0, endMinute: 1440 }]);
      expect(errorOf(await create({ ...valid(), coachId: coach.id }, member)).message).toBe('Coach has no default room configured');
    });
  });

  describe('overlapping series', () => {
    it('refuses a series that overlaps an ACTIVE series of the same coach, writing nothing', async () => {
      const slot = freshSlot(3);
      await book({ ...slot, coachId: studio.coach.id }, member);
      const before = await rowCounts();
      const result = await create({ ...slot, startTime: slot.startTime.replace(':00', ':30'), endTime: slot.endTime.replace(':45', ':55'), coachId: studio.coach.id }, otherMember);
      expect(errorOf(result)).toMatchObject({ code: 'CONFLICT', message: 'The coach already has a recurring booking at that time' });
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a series that overlaps one of the same member with another coach', async () => {
      const slot = freshSlot(3);
      await book({ ...slot, coachId: studio.coach.id }, member);
      const result = await create({ ...slot, coachId: otherStudio.coach.id, startDate: addDays(slot.startDate, 14) }, member);
      expect(errorOf(result)).toMatchObject({ code: 'CONFLICT', message: 'The member already has a recurring booking at that time' });
    });

    it('names the coach first when the same member books the same coach twice (the order of every conflict message)', async () => {
      const slot = freshSlot(3);
      await book({ ...slot, coachId: studio.coach.id }, member);
      const result = await create({ ...slot, coachId: studio.coach.id }, member);
      expect(errorOf(result)).toMatchObject({ code: 'CONFLICT', message: 'The coach already has a recurring booking at that time' });
    });

    it('accepts back-to-back slots, other weekdays, and date ranges that do not meet', async () => {
      const slot = freshSlot(6);
      const first = await book({ ...slot, coachId: studio.coach.id, endDate: addDays(slot.startDate, 7) }, member);
      const [h] = slot.endTime.split(':');
      await book({ ...slot, coachId: studio.coach.id, startTime: `${h}:45`, endTime: `${h}:59` }, otherMember); // back-to-back
      await book({ ...slot, dayOfWeek: 0, startDate: nextWeekday(0), coachId: studio.coach.id }, otherMember); // another weekday
      await book({ ...slot, coachId: studio.coach.id, startDate: addDays(slot.startDate, 14) }, otherMember); // after the first one's endDate
      expect(first.endDate).toBe(addDays(slot.startDate, 7));
    });

    it('compares series in different timezones by their instants', async () => {
      const coach = await coachWithRoom(server);
      const [a, b] = [await server.user('MEMBER'), await server.user('MEMBER')];
      const startDate = nextWeekday(1, 'Europe/Berlin');
      await book({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '10:00', endTime: '11:00', startDate, timezone: 'Europe/London' }, a);
      // 11:00 in Berlin is 10:00 in London all year round (both change on the same instants).
      const clash = await create({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '11:00', endTime: '12:00', startDate, timezone: 'Europe/Berlin' }, b);
      expect(errorOf(clash).code).toBe('CONFLICT');
      await book({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '12:00', endTime: '13:00', startDate, timezone: 'Europe/Berlin' }, b);
    });

    it('finds a clash that only happens in the weeks when two zones change clocks on different dates', async () => {
      const coach = await coachWithRoom(server);
      const [a, b] = [await server.user('MEMBER'), await server.user('MEMBER')];
      const startDate = nextWeekday(1, 'America/New_York');
      // 05:00 New York is 10:00 London most of the year, but 09:00 London for a few weeks in March and Oct/Nov.
      await book({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '05:00', endTime: '06:00', startDate, timezone: 'America/New_York' }, a);
      expect(errorOf(await create({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '09:00', endTime: '10:00', startDate, timezone: 'Europe/London' }, b)).code).toBe('CONFLICT');
      // 08:00-09:00 London never meets it.
      await book({ coachId: coach.coach.id, dayOfWeek: 1, startTime: '08:00', endTime: '09:00', startDate, timezone: 'Europe/London' }, b);
    });

    it('frees the slot when the series is cancelled', async () => {
      const slot = freshSlot(3);
      const first = await book({ ...slot, coachId: studio.coach.id }, member);
      await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: first.id } }, member);
      const again = await book({ ...slot, coachId: studio.coach.id }, otherMember);
      expect(await sessionsOf(server.db, again.id)).toHaveLength((await sessionsOf(server.db, first.id)).length);
    });

    it('lets exactly one of eight members booking the same coach slot at the same moment win', async () => {
      const coach = await coachWithRoom(server);
      const members = await Promise.all(Array.from({ length: 8 }, () => server.user('MEMBER')));
      const slot = freshSlot(5);
      const results = await Promise.all(members.map((m) => create({ ...slot, coachId: coach.coach.id }, m)));
      const won = results.filter((r) => r.data?.createRecurringBooking);
      expect(won).toHaveLength(1);
      expect(results.filter((r) => !r.data?.createRecurringBooking).map((r) => errorOf(r).code)).toEqual(Array(7).fill('CONFLICT'));
      expect(await count(server.db, 'recurring_bookings', 'coach_id = $1', [coach.coach.id])).toBe(1);
      const sessions = await count(server.db, 'training_sessions', 'coach_id = $1', [coach.coach.id]);
      expect(sessions).toBe((await sessionsOf(server.db, won[0].data!.createRecurringBooking.id)).length);
      expect(sessions).toBeGreaterThanOrEqual(5);
    });

    it('lets one member booking two coaches for the same slot at the same moment get only one', async () => {
      const [c1, c2] = [await coachWithRoom(server), await coachWithRoom(server)];
      const someone = await server.user('MEMBER');
      const slot = freshSlot(5);
      const results = await Promise.all([create({ ...slot, coachId: c1.coach.id }, someone), create({ ...slot, coachId: c2.coach.id }, someone)]);
      expect(results.filter((r) => r.data?.createRecurringBooking)).toHaveLength(1);
      expect(errorOf(results.find((r) => r.errors)!).code).toBe('CONFLICT');
      expect(await count(server.db, 'recurring_bookings', 'member_id = $1', [someone.id])).toBe(1);
    });
  });

  describe('a series none of whose sessions can take place', () => {
    it('is refused with CONFLICT naming the clash when the room is full on every occurrence, writing nothing', async () => {
      const slot = freshSlot(5);
      await book({ ...slot, coachId: studio.coach.id }, member); // fills studio's room (capacity 1) every week
      const someone = await server.user('MEMBER');
      const before = await rowCounts();
      const result = await create({ ...slot, coachId: otherStudio.coach.id, roomId: studio.roomId }, someone);
      expect(errorOf(result)).toMatchObject({
        code: 'CONFLICT',
        message: `No session of the series can take place in the next 6 weeks: every occurrence is impossible; the first, ${slot.startDate} ${slot.startTime} UTC: the room is full at that time`,
      });
      expect(await rowCounts()).toEqual(before); // no series, no sessions, no generation run
    });

    it("says the coach is busy when the coach's sessions take every occurrence", async () => {
      const slot = freshSlot(5);
      const busy = await server.user('MEMBER');
      for (let week = 0; week < 8; week++) {
        const start = at(addDays(slot.startDate, 7 * week), slot.startTime);
        await insertSession(server.db, { coachId: studio.coach.id, memberId: busy.id, roomId: otherStudio.roomId, start, end: new Date(start.getTime() + HOUR) });
      }
      const before = await rowCounts();
      const result = await create({ ...slot, coachId: studio.coach.id }, await server.user('MEMBER'));
      expect(errorOf(result)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/every occurrence is impossible; .*: the coach already has a session at that time$/) });
      expect(await rowCounts()).toEqual(before);
    });

    it('is accepted when only some occurrences clash (they are skipped) or when its first occurrences lie beyond the horizon', async () => {
      const slot = freshSlot(5);
      await book({ ...slot, coachId: studio.coach.id, endDate: addDays(slot.startDate, 7) }, member); // the first two weeks only
      const someone = await server.user('MEMBER');
      const partly = await book({ ...slot, coachId: otherStudio.coach.id, roomId: studio.roomId }, someone);
      // Its weeks within the 6-week horizon, but for the first two (the room is taken then).
      const horizonEnd = new Date(partly.createdAt).getTime() + 6 * 7 * 24 * HOUR;
      const weeks = [2, 3, 4, 5, 6].map((week) => at(addDays(slot.startDate, 7 * week), slot.startTime)).filter((start) => start.getTime() < horizonEnd);
      expect((await sessionsOf(server.db, partly.id)).map((s) => s.start.toISOString())).toEqual(weeks.map((start) => start.toISOString()));

      const later = { ...freshSlot(5), startDate: nextWeekday(5, 'UTC', 8) };
      const distant = await book({ ...later, coachId: studio.coach.id }, await server.user('MEMBER'));
      expect(distant.status).toBe('ACTIVE');
      expect(await sessionsOf(server.db, distant.id)).toHaveLength(0);
    });
  });

  it("skips an occurrence that would double-book the member's one-off session, keeping the rest", async () => {
    const someone = await server.user('MEMBER');
    const slot = freshSlot(2);
    const second = new Date(`${addDays(slot.startDate, 7)}T${slot.startTime}:00Z`);
    await insertSession(server.db, { coachId: otherStudio.coach.id, memberId: someone.id, roomId: otherStudio.roomId, start: second, end: new Date(second.getTime() + HOUR) });
    const booking = await book({ ...slot, coachId: studio.coach.id }, someone);
    const starts = (await sessionsOf(server.db, booking.id)).map((s) => s.start.getTime());
    expect(starts).not.toContain(second.getTime());
    expect(starts).toContain(new Date(`${slot.startDate}T${slot.startTime}:00Z`).getTime());
    const [run] = await server.db.query<{ skipped_conflicts: number; total_generated: number }>(
      `SELECT skipped_conflicts, total_generated FROM generation_runs WHERE trigger = 'BOOKING' ORDER BY started_at DESC LIMIT 1`,
    );
    expect(run).toEqual({ skipped_conflicts: 1, total_generated: starts.length });
  });
});

describe('cancelRecurringBooking', () => {
  /** A fresh coach and member (a session running now must not clash with other tests), their series, one running and one finished session. */
  async function seriesWithRunningSession() {
    const setup = await coachWithRoom(server);
    const who = await server.user('MEMBER');
    const booking = await book({ ...freshSlot(0), coachId: setup.coach.id }, who);
    const base = { coachId: setup.coach.id, memberId: who.id, roomId: setup.roomId, recurringBookingId: booking.id };
    const start = new Date(Date.now() - HOUR / 4);
    const running = await insertSession(server.db, { ...base, start, end: new Date(start.getTime() + HOUR / 2) });
    const done = new Date(Date.now() - 3 * 24 * HOUR);
    const completed = await insertSession(server.db, { ...base, start: done, end: new Date(done.getTime() + HOUR), status: 'COMPLETED' });
    return { booking, running, completed, coach: setup.coach, member: who };
  }
  const statusOf = async (id: string) => (await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [id]))[0].status;

  it('cancels only sessions that start after now by default (futureOnly: true), with the reason', async () => {
    const { booking, running, completed, member } = await seriesWithRunningSession();
    const data = await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: booking.id, reason: 'Moving away' } }, member);
    expect(data.cancelRecurringBooking.status).toBe('CANCELLED');
    const future = await server.db.query<{ status: string; cancellation_reason: string }>(
      'SELECT status, cancellation_reason FROM training_sessions WHERE recurring_booking_id = $1 AND start_time > now()',
      [booking.id],
    );
    expect(future.length).toBeGreaterThanOrEqual(5);
    expect(future.every((s) => s.status === 'CANCELLED' && s.cancellation_reason === 'Moving away')).toBe(true);
    expect(await statusOf(running)).toBe('SCHEDULED');
    expect(await statusOf(completed)).toBe('COMPLETED');
  });

  it('cancels every SCHEDULED session with futureOnly: false (coach of the series), leaving finished ones', async () => {
    const { booking, running, completed, coach } = await seriesWithRunningSession();
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: booking.id, futureOnly: false } }, coach);
    expect(await statusOf(running)).toBe('CANCELLED');
    expect(await statusOf(completed)).toBe('COMPLETED');
    expect(await count(server.db, 'training_sessions', "recurring_booking_id = $1 AND status = 'SCHEDULED'", [booking.id])).toBe(0);
    const [{ actor_id }] = await server.db.query<{ actor_id: string }>(
      "SELECT actor_id FROM session_status_changes WHERE session_id = $1 AND to_status = 'CANCELLED'",
      [running],
    );
    expect(actor_id).toBe(coach.id);
  });

  it('refuses a member futureOnly: false once a session has started (members cancel before start), changing nothing', async () => {
    const { booking, running, member } = await seriesWithRunningSession();
    const before = await rowCounts();
    const result = await server.request(CancelRecurringBookingDocument, { input: { recurringBookingId: booking.id, futureOnly: false } }, member);
    expect(errorOf(result).code).toBe('CONFLICT');
    expect(await rowCounts()).toEqual(before);
    expect(await statusOf(running)).toBe('SCHEDULED');
    expect((await server.ok(RecurringBookingDocument, { id: booking.id }, member)).recurringBooking?.status).toBe('ACTIVE');
  });

  it('lets an owner cancel any series; others get NOT_FOUND; a cancelled series cannot be cancelled again', async () => {
    const booking = await book({ ...freshSlot(0), coachId: studio.coach.id }, member);
    const input = { recurringBookingId: booking.id };
    expect(errorOf(await server.request(CancelRecurringBookingDocument, { input }, otherMember))).toMatchObject({ code: 'NOT_FOUND', field: 'input.recurringBookingId' });
    expect(errorOf(await server.request(CancelRecurringBookingDocument, { input }, otherStudio.coach)).code).toBe('NOT_FOUND');
    expect(errorOf(await server.request(CancelRecurringBookingDocument, { input: { recurringBookingId: 'nope' } }, owner)).code).toBe('NOT_FOUND');
    await server.ok(CancelRecurringBookingDocument, { input }, owner);
    expect(errorOf(await server.request(CancelRecurringBookingDocument, { input }, owner)).code).toBe('CONFLICT');
  });
});

describe('reading series', () => {
  let booking: { id: string };

  beforeAll(async () => {
    booking = await book({ ...freshSlot(4), coachId: studio.coach.id }, member);
  });

  it('shows a series to its member, its coach and owners; NOT_FOUND to anyone else', async () => {
    for (const who of [member, studio.coach, owner]) {
      expect((await server.ok(RecurringBookingDocument, { id: booking.id }, who)).recurringBooking?.id).toBe(booking.id);
    }
    for (const who of [otherMember, otherStudio.coach]) {
      expect(errorOf(await server.request(RecurringBookingDocument, { id: booking.id }, who))).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    }
    expect(errorOf(await server.request(RecurringBookingDocument, { id: '00000000-0000-4000-8000-000000000000' }, owner)).code).toBe('NOT_FOUND');
    expect(errorOf(await server.request(RecurringBookingDocument, { id: 'not-an-id' }, owner)).code).toBe('NOT_FOUND');
  });

  it('lists what the caller may see; filters narrow and never widen', async () => {
    const mine = (await server.ok(RecurringBookingsDocument, {}, member)).recurringBookings;
    // Exactly the member's own series (made by the specs above), each once.
    const own = await server.db.query<{ id: string }>('SELECT id::text FROM recurring_bookings WHERE member_id = $1', [member.id]);
    expect(own).not.toEqual([]); // not vacuous
    expect(mine.map((b) => b.id).sort()).toEqual(own.map((b) => b.id).sort());
    expect(mine.every((b) => b.member.id === member.id)).toBe(true);
    expect((await server.ok(RecurringBookingsDocument, { memberId: member.id }, otherMember)).recurringBookings).toEqual([]);
    const coachs = (await server.ok(RecurringBookingsDocument, {}, otherStudio.coach)).recurringBookings;
    expect(coachs.every((b) => b.coach.id === otherStudio.coach.id)).toBe(true);
    // A page of 20 by default (the list is paged since 0.2); a page of 200 holds them all here.
    expect((await server.ok(RecurringBookingsDocument, {}, owner)).recurringBookings.length).toBe(Math.min(20, await count(server.db, 'recurring_bookings')));
    const all = (await server.ok(RecurringBookingsDocument, { first: 200 }, owner)).recurringBookings;
    expect(all.length).toBe(await count(server.db, 'recurring_bookings'));
    const filtered = (await server.ok(RecurringBookingsDocument, { memberId: member.id, coachId: studio.coach.id, status: 'ACTIVE' }, owner)).recurringBookings;
    expect(filtered.map((b) => b.id)).toContain(booking.id);
    expect(filtered.every((b) => b.member.id === member.id && b.coach.id === studio.coach.id && b.status === 'ACTIVE')).toBe(true);
    expect(filtered).toHaveLength(await count(server.db, 'recurring_bookings', "member_id = $1 AND coach_id = $2 AND status = 'ACTIVE'", [member.id, studio.coach.id]));
  });

  it('resolves RecurringBooking.sessions with from/to/status, and TrainingSession.recurringBooking', async () => {
    const rows = await sessionsOf(server.db, booking.id);
    const all = (await server.ok(RecurringBookingWithSessionsDocument, { id: booking.id }, member)).recurringBooking!.sessions;
    expect(all.map((s) => s.id)).toEqual(rows.map((r) => r.id));
    expect(all.every((s) => s.recurringBooking?.id === booking.id && s.occurrenceStart === s.startTime)).toBe(true);
    const window = { from: rows[1].start.toISOString(), to: rows[3].start.toISOString() };
    const some = (await server.ok(RecurringBookingWithSessionsDocument, { id: booking.id, ...window }, member)).recurringBooking!.sessions;
    expect(some.map((s) => s.id)).toEqual([rows[1].id, rows[2].id]);
    const none = (await server.ok(RecurringBookingWithSessionsDocument, { id: booking.id, status: ['CANCELLED'] }, member)).recurringBooking!.sessions;
    expect(none).toEqual([]);
    const session = (await server.ok(SessionDocument, { id: rows[0].id }, studio.coach)).session;
    expect(session?.recurringBooking).toEqual({ id: booking.id, dayOfWeek: 4, startTime: expect.stringMatching(/^\d\d:00$/) });
  });
});
