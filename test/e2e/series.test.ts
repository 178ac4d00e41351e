/**
 * Series management (issue 14) through the API: every N weeks, count-limited series that
 * make up what the studio takes away (exactly once, however many runs), change from a
 * date on, pauses. Times are checked against Luxon (no code of src/domain), across the
 * next DST changes of three zones.
 */
import { DateTime } from 'luxon';
import { addDays } from '../../src/domain/civil-date';
import {
  CancelRecurringBookingDocument,
  BookSessionDocument,
  CancelSessionDocument,
  ChangeRecurringBookingDocument,
  CreateSeriesDocument,
  GenerateSessionsDocument,
  PauseRecurringBookingDocument,
  RemoveSeriesPauseDocument,
  RescheduleSessionDocument,
  SeriesDocument,
} from '../generated/graphql';
import { at, coachWithRoom, count, nextWeekday, sessionsOf, today, type CoachSetup } from '../support/booking-fixtures';
import pg from 'pg';
import { until } from '../support/notifications';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';


let server: TestServer;
let owner: TestUser;
let studio: CoachSetup;

beforeAll(async () => {
  // A year of horizon: whole count-limited series (and both DST changes) are generated at once.
  server = await startTestServer({ env: { GENERATION_HORIZON_WEEKS: '52' } });
  owner = await server.user('OWNER');
  studio = await coachWithRoom(server, { name: 'Series Coach' });
});
afterAll(() => server.stop());

/** The oracle: Luxon (tests only), never src/domain. An instant's wall clock in a zone. */
function wallClock(instant: Date, zone: string): { date: string; weekday: number; time: string } {
  const local = DateTime.fromJSDate(instant, { zone });
  return { date: local.toISODate()!, weekday: local.weekday, time: local.toFormat('HH:mm') };
}

let memberCount = 0;
async function member(): Promise<TestUser> {
  memberCount += 1;
  return server.user('MEMBER', `Series Member ${memberCount}`);
}

/** Each test its own coach, so slots never meet. */
async function coach(): Promise<CoachSetup> {
  return coachWithRoom(server);
}

async function generate(): Promise<void> {
  await server.ok(GenerateSessionsDocument, {}, owner);
}

async function scheduled(seriesId: string) {
  return (await sessionsOf(server.db, seriesId)).filter((s) => s.status === 'SCHEDULED');
}

describe('every N weeks and count-limited series across DST', () => {
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney']) {
    it(`holds a fortnightly series of 20 sessions at 07:30 wall-clock in ${zone}, 14 local days apart, through its DST changes`, async () => {
      const who = await member();
      const { coach: c } = await coach();
      const startDate = nextWeekday(0, zone);
      const { createRecurringBooking: series } = await server.ok(
        CreateSeriesDocument,
        { input: { coachId: c.id, memberId: who.id, dayOfWeek: 0, startTime: '07:30', endTime: '08:30', startDate, timezone: zone, intervalWeeks: 2, occurrences: 20 } },
        owner,
      );
      // Luxon's calendar arithmetic: every 2 weeks at 07:30 local, whatever the offset.
      const first = DateTime.fromISO(`${startDate}T07:30`, { zone });
      const expected = Array.from({ length: 20 }, (_, i) => first.plus({ weeks: 2 * i }));
      expect(series).toMatchObject({ intervalWeeks: 2, occurrences: 20, endDate: expected[19].toISODate() });
      const sessions = await sessionsOf(server.db, series.id);
      expect(sessions.map((s) => s.start.toISOString())).toEqual(expected.map((d) => d.toUTC().toISO()));
      expect(sessions.map((s) => wallClock(s.start, zone)).every((w) => w.weekday === 7 && w.time === '07:30')).toBe(true);
      // The series really crosses a change: its sessions do not all share one UTC offset.
      expect(new Set(expected.map((d) => d.offset)).size).toBe(2);
      expect(sessions.every((s) => s.end.getTime() - s.start.getTime() === 3_600_000)).toBe(true);
    });
  }

  it('places every 3 weeks on the weeks counted from the first occurrence, not from startDate', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const startDate = nextWeekday(3); // a Wednesday; the series runs on Fridays
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 5, startTime: '09:00', endTime: '10:00', startDate, timezone: 'UTC', intervalWeeks: 3, occurrences: 4 } },
      owner,
    );
    const dates = (await sessionsOf(server.db, series.id)).map((s) => wallClock(s.start, 'UTC').date);
    const first = addDays(startDate, 2);
    expect(dates).toEqual([first, addDays(first, 21), addDays(first, 42), addDays(first, 63)]);
    expect(series.endDate).toBe(addDays(first, 63));
  });
});

describe('a count-limited series makes up what the studio takes away, exactly once', () => {
  it('makes up a blocked occurrence, a coach cancellation and a pause, not a member cancellation, and repeated runs change nothing', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(2);
    // The coach is away on the second Tuesday: generation must skip it.
    await server.db.query('INSERT INTO availability_blocks (coach_id, start_time, end_time) VALUES ($1, $2, $3)', [
      c.id,
      at(addDays(first, 7), '00:00'),
      at(addDays(first, 8), '00:00'),
    ]);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 2, startTime: '18:00', endTime: '19:00', startDate: first, timezone: 'UTC', occurrences: 5 } },
      owner,
    );
    // 5 sessions: weeks 0, 2, 3, 4, 5 (week 1 blocked, made up at the end).
    expect(series.endDate).toBe(addDays(first, 35));
    expect((await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date)).toEqual([0, 2, 3, 4, 5].map((w) => addDays(first, 7 * w)));
    await generate();
    await generate();
    expect(await scheduled(series.id)).toHaveLength(5);
    expect((await server.ok(SeriesDocument, { id: series.id }, owner)).recurringBooking!.endDate).toBe(addDays(first, 35));
    expect(await count(server.db, 'series_taken_away', 'recurring_booking_id = $1', [series.id])).toBe(1);

    // The block goes away: the taken-away week is not held again (it was made up already).
    await server.db.query('DELETE FROM availability_blocks WHERE coach_id = $1', [c.id]);
    await generate();
    expect(await scheduled(series.id)).toHaveLength(5);

    // The coach cancels week 2: made up by week 6.
    const sessions = await scheduled(series.id);
    await server.ok(CancelSessionDocument, { id: sessions[1].id }, c);
    // endDate moves with the cancellation itself; the next run holds the make-up.
    expect((await server.ok(SeriesDocument, { id: series.id }, owner)).recurringBooking!.endDate).toBe(addDays(first, 42));
    await generate();
    await generate();
    expect((await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date).at(-1)).toBe(addDays(first, 42));
    expect(await scheduled(series.id)).toHaveLength(5);

    // The member cancels week 3 themselves: counts as delivered, nothing made up.
    await server.ok(CancelSessionDocument, { id: sessions[2].id }, who);
    await generate();
    expect(await scheduled(series.id)).toHaveLength(4);
    expect((await server.ok(SeriesDocument, { id: series.id }, owner)).recurringBooking!.endDate).toBe(addDays(first, 42));

    // A pause over week 4: made up by week 7, exactly once.
    const { pauseRecurringBooking: pause } = await server.ok(
      PauseRecurringBookingDocument,
      { input: { recurringBookingId: series.id, from: addDays(first, 28), to: addDays(first, 28), reason: 'Holiday' } },
      who,
    );
    expect(pause).toMatchObject({ from: addDays(first, 28), to: addDays(first, 28), reason: 'Holiday' });
    await generate();
    await generate();
    const after = await server.ok(SeriesDocument, { id: series.id }, owner);
    expect(after.recurringBooking!.endDate).toBe(addDays(first, 49));
    expect(after.recurringBooking!.pauses).toHaveLength(1);
    const dates = (await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date);
    expect(dates).toEqual([0, 5, 6, 7].map((w) => addDays(first, 7 * w)));
    const cancelled = (await sessionsOf(server.db, series.id)).filter((s) => s.status === 'CANCELLED');
    expect(cancelled).toHaveLength(3);
  });

  it('makes up a week that clashes with a one-off session of the coach, once, and holds nothing over it', async () => {
    const who = await member();
    const other = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(4);
    // Another member has the coach on the second Thursday at the series' time.
    const { bookSession: clash } = await server.ok(
      BookSessionDocument,
      { input: { coachId: c.id, memberId: other.id, startTime: at(addDays(first, 7), '07:00').toISOString(), durationMinutes: 60 } },
      owner,
    );
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 4, startTime: '07:00', endTime: '08:00', startDate: first, timezone: 'UTC', occurrences: 3 } },
      owner,
    );
    expect(series.endDate).toBe(addDays(first, 21));
    await generate();
    await generate();
    expect((await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date)).toEqual([0, 2, 3].map((w) => addDays(first, 7 * w)));
    expect(await count(server.db, 'series_taken_away', 'recurring_booking_id = $1', [series.id])).toBe(1);
    expect(await count(server.db, 'training_sessions', "coach_id = $1 AND start_time = $2 AND status = 'SCHEDULED'", [c.id, clash.startTime])).toBe(1);
  });
});

describe('the end of a count-limited series', () => {
  it('becomes ENDED after its last session, judged by the derived endDate', async () => {
    const who = await member();
    const { coach: c, roomId } = await coach();
    const start = addDays(today(), -70);
    const [row] = await server.db.query<{ id: string }>(
      `INSERT INTO recurring_bookings (member_id, coach_id, room_id, day_of_week, start_minute, end_minute, timezone, start_date, end_date, occurrences)
       VALUES ($1, $2, $3, EXTRACT(DOW FROM $4::date)::int, 600, 660, 'UTC', $4, NULL, 3) RETURNING id`,
      [who.id, c.id, roomId, start],
    );
    await generate();
    const series = (await server.ok(SeriesDocument, { id: row.id }, owner)).recurringBooking!;
    expect(series).toMatchObject({ status: 'ENDED', endDate: addDays(start, 14), occurrences: 3 });
    expect(await sessionsOf(server.db, row.id)).toEqual([]);
  });

  it('takes its make-up back when a pause is removed: the paused week is held again and the extra session at the end is cancelled', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(1);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 1, startTime: '20:00', endTime: '21:00', startDate: first, timezone: 'UTC', occurrences: 4 } },
      owner,
    );
    const { pauseRecurringBooking: pause } = await server.ok(
      PauseRecurringBookingDocument,
      { input: { recurringBookingId: series.id, from: addDays(first, 7), to: addDays(first, 7) } },
      who,
    );
    await generate();
    expect((await server.ok(SeriesDocument, { id: series.id }, who)).recurringBooking!.endDate).toBe(addDays(first, 28));
    expect((await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date)).toEqual([0, 2, 3, 4].map((w) => addDays(first, 7 * w)));

    await server.ok(RemoveSeriesPauseDocument, { id: pause.id }, who);
    await generate();
    expect((await server.ok(SeriesDocument, { id: series.id }, who)).recurringBooking!.endDate).toBe(addDays(first, 21));
    expect((await scheduled(series.id)).map((s) => wallClock(s.start, 'UTC').date)).toEqual([0, 1, 2, 3].map((w) => addDays(first, 7 * w)));
    const extra = await server.db.query<{ cancellation_reason: string }>(
      "SELECT cancellation_reason FROM training_sessions WHERE recurring_booking_id = $1 AND status = 'CANCELLED'",
      [series.id],
    );
    expect(extra).toEqual([{ cancellation_reason: 'PAUSE_REMOVED' }]);
  });
});

describe('changeRecurringBooking', () => {
  it('ends the old series the day before, continues it in a new linked one, keeps earlier sessions and their ids, and handles cancelled and moved weeks', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(4);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 4, startTime: '10:00', endTime: '11:00', startDate: first, endDate: addDays(first, 7 * 7), timezone: 'UTC' } },
      owner,
    );
    const before = await sessionsOf(server.db, series.id);
    expect(before).toHaveLength(8);
    // Week 3: the member cancels (a holiday); week 4: the coach moves it to 15:00 the same day.
    await server.ok(CancelSessionDocument, { id: before[3].id }, who);
    await server.ok(RescheduleSessionDocument, { id: before[4].id, startTime: at(addDays(first, 28), '15:00').toISOString() }, c);

    const effectiveFrom = addDays(first, 14 - 2); // the Tuesday before week 2
    const { changeRecurringBooking: next } = await server.ok(
      ChangeRecurringBookingDocument,
      { input: { recurringBookingId: series.id, effectiveFrom, startTime: '12:00', endTime: '13:00' } },
      owner,
    );
    expect(next).toMatchObject({ startTime: '12:00', endTime: '13:00', dayOfWeek: 4, startDate: addDays(first, 14), endDate: addDays(first, 49) });
    expect(next.replaces).toEqual({ id: series.id, endDate: addDays(effectiveFrom, -1), status: 'ACTIVE' });
    expect((await server.ok(SeriesDocument, { id: series.id }, who)).recurringBooking!.replacedBy).toEqual({ id: next.id });

    const old = await sessionsOf(server.db, series.id);
    const byId = new Map(old.map((s) => [s.id, s]));
    // Weeks 0 and 1 untouched (same ids, same times); weeks 2, 4 (the moved one), 5-7 cancelled as SERIES_CHANGED.
    expect([0, 1].map((i) => byId.get(before[i].id)!.status)).toEqual(['SCHEDULED', 'SCHEDULED']);
    const reasons = await server.db.query<{ id: string; cancellation_reason: string | null }>(
      'SELECT id, cancellation_reason FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY occurrence_start',
      [series.id],
    );
    expect(reasons.map((r) => r.cancellation_reason)).toEqual([null, null, 'SERIES_CHANGED', null, 'SERIES_CHANGED', 'SERIES_CHANGED', 'SERIES_CHANGED', 'SERIES_CHANGED']);

    // The new series: weeks 2, 4, 5, 6, 7 at 12:00; week 3 stays cancelled (the member's holiday is not booked again).
    const fresh = await sessionsOf(server.db, next.id);
    expect(fresh.filter((s) => s.status === 'SCHEDULED').map((s) => s.start.toISOString())).toEqual(
      [2, 4, 5, 6, 7].map((w) => at(addDays(first, 7 * w), '12:00').toISOString()),
    );
    expect(fresh.filter((s) => s.status === 'CANCELLED').map((s) => s.start.toISOString())).toEqual([at(addDays(first, 21), '12:00').toISOString()]);

    // The other parties hear once each (the owner acted): SERIES_CHANGED, no SERIES_CONFIRMED.
    const notices = await server.db.query<{ user_id: string; kind: string }>(
      "SELECT user_id, kind FROM notifications WHERE recurring_booking_id = $1 AND kind IN ('SERIES_CHANGED', 'SERIES_CONFIRMED') ORDER BY kind",
      [next.id],
    );
    expect(notices.map((n) => n.kind)).toEqual(['SERIES_CHANGED', 'SERIES_CHANGED']);
    expect(new Set(notices.map((n) => n.user_id))).toEqual(new Set([who.id, c.id]));
    // History records the actor of the cancellations.
    const history = await server.db.query<{ actor_id: string }>(
      "SELECT actor_id FROM session_status_changes WHERE session_id = $1 AND to_status = 'CANCELLED'",
      [before[2].id],
    );
    expect(history).toEqual([{ actor_id: owner.id }]);

    // Changing the old series again is a CONFLICT; the new one can be changed.
    const again = await server.request(ChangeRecurringBookingDocument, { input: { recurringBookingId: series.id, effectiveFrom, startTime: '14:00', endTime: '15:00' } }, owner);
    expect(errorOf(again).code).toBe('CONFLICT');
  });

  it('ends the old series at once when the change starts on its first day', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(2);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 2, startTime: '08:00', endTime: '09:00', startDate: first, timezone: 'UTC', occurrences: 3 } },
      owner,
    );
    const { changeRecurringBooking: next } = await server.ok(
      ChangeRecurringBookingDocument,
      { input: { recurringBookingId: series.id, effectiveFrom: first, startTime: '09:00', endTime: '10:00' } },
      who,
    );
    expect(next).toMatchObject({ startDate: first, occurrences: 3, endDate: addDays(first, 14), replaces: { id: series.id, status: 'ENDED', endDate: first } });
    expect(await scheduled(series.id)).toEqual([]);
    expect((await scheduled(next.id)).map((s) => s.start.toISOString())).toEqual([0, 1, 2].map((w) => at(addDays(first, 7 * w), '09:00').toISOString()));
  });

  it('keeps a fortnightly series on its weeks when only the time changes', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(1);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 1, startTime: '08:00', endTime: '09:00', startDate: first, timezone: 'UTC', intervalWeeks: 2, occurrences: 6 } },
      owner,
    );
    // From a date in the off week: the new series starts on the next "on" week, not a week later.
    const { changeRecurringBooking: next } = await server.ok(
      ChangeRecurringBookingDocument,
      { input: { recurringBookingId: series.id, effectiveFrom: addDays(first, 7), startTime: '09:00', endTime: '10:00' } },
      who,
    );
    expect(next).toMatchObject({ startDate: addDays(first, 14), intervalWeeks: 2, occurrences: 5, endDate: addDays(first, 70) });
    expect((await scheduled(next.id)).map((s) => wallClock(s.start, 'UTC').date)).toEqual([1, 2, 3, 4, 5].map((k) => addDays(first, 14 * k)));
    expect(await scheduled(series.id)).toHaveLength(1);
  });

  it('lets a member change or pause only from dates their own cancellation would be allowed; staff leave the running session alone', async () => {
    const who = await member();
    const { coach: c, roomId } = await coach();
    const day = today();
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: new Date(`${day}T12:00:00Z`).getUTCDay(), startTime: '00:00', endTime: '24:00', startDate: addDays(day, 7), timezone: 'UTC' } },
      owner,
    );
    // Today's session, already running (written directly: generation books from now on).
    await server.db.query(
      `UPDATE recurring_bookings SET start_date = $2 WHERE id = $1`,
      [series.id, day],
    );
    const [running] = await server.db.query<{ id: string }>(
      `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status, recurring_booking_id, occurrence_start, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'SCHEDULED', $6, $4, now()) RETURNING id`,
      [c.id, who.id, roomId, at(day, '00:00'), at(addDays(day, 1), '00:00'), series.id],
    );
    const asMember = await server.request(ChangeRecurringBookingDocument, { input: { recurringBookingId: series.id, effectiveFrom: day, startTime: '01:00' } }, who);
    expect(errorOf(asMember).code).toBe('CONFLICT');
    const pauseAsMember = await server.request(PauseRecurringBookingDocument, { input: { recurringBookingId: series.id, from: day, to: day } }, who);
    expect(errorOf(pauseAsMember).code).toBe('CONFLICT');
    expect(await count(server.db, 'recurring_bookings', 'replaces_id = $1', [series.id])).toBe(0);
    expect(await count(server.db, 'series_pauses', 'recurring_booking_id = $1', [series.id])).toBe(0);

    const { changeRecurringBooking: next } = await server.ok(
      ChangeRecurringBookingDocument,
      { input: { recurringBookingId: series.id, effectiveFrom: day, startTime: '01:00' } },
      owner,
    );
    expect(next.startDate).toBe(day); // the old rhythm goes on: today is one of its days
    const [row] = await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [running.id]);
    expect(row.status).toBe('SCHEDULED');
  });

  it('lets exactly one of two concurrent changes of one series win; the other is a CONFLICT and writes nothing', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(5);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 5, startTime: '06:00', endTime: '07:00', startDate: first, timezone: 'UTC' } },
      owner,
    );
    const change = (startTime: string, endTime: string) =>
      server.request(ChangeRecurringBookingDocument, { input: { recurringBookingId: series.id, effectiveFrom: addDays(first, 7), startTime, endTime } }, owner);
    const results = await Promise.all([change('07:00', '08:00'), change('08:00', '09:00')]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.map((r) => errorOf(r).code).filter(Boolean)).toEqual(['CONFLICT']);
    expect(await count(server.db, 'recurring_bookings', 'replaces_id = $1', [series.id])).toBe(1);
  });

  it('refuses bad input and writes nothing', async () => {
    const who = await member();
    const stranger = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(6);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 6, startTime: '06:00', endTime: '07:00', startDate: first, endDate: addDays(first, 28), timezone: 'UTC' } },
      owner,
    );
    const base = { recurringBookingId: series.id, effectiveFrom: addDays(first, 7) };
    const cases: [string, Record<string, unknown>, TestUser, string, string | undefined][] = [
      ['effectiveFrom in the past', { ...base, effectiveFrom: addDays(today(), -1), startTime: '08:00', endTime: '09:00' }, owner, 'BAD_USER_INPUT', 'input.effectiveFrom'],
      ['effectiveFrom after the end', { ...base, effectiveFrom: addDays(first, 29), startTime: '08:00', endTime: '09:00' }, owner, 'BAD_USER_INPUT', 'input.effectiveFrom'],
      ['a change that changes nothing', { ...base, startTime: '06:00' }, owner, 'BAD_USER_INPUT', 'input'],
      ['intervalWeeks 13', { ...base, intervalWeeks: 13 }, owner, 'BAD_USER_INPUT', 'input.intervalWeeks'],
      ['another member', { ...base, startTime: '08:00', endTime: '09:00' }, stranger, 'NOT_FOUND', 'input.recurringBookingId'],
      ['another coach', { ...base, startTime: '08:00', endTime: '09:00' }, (await coach()).coach, 'NOT_FOUND', 'input.recurringBookingId'],
    ];
    for (const [name, input, as, code, field] of cases) {
      const result = await server.request(ChangeRecurringBookingDocument, { input: input as never }, as);
      expect({ name, ...errorOf(result), message: undefined }).toEqual({ name, code, field, message: undefined });
    }
    const pauses: [string, Record<string, unknown>, string][] = [
      ['to before from', { recurringBookingId: series.id, from: addDays(first, 7), to: addDays(first, 6) }, 'input.to'],
      ['longer than 366 days', { recurringBookingId: series.id, from: addDays(first, 1), to: addDays(first, 367) }, 'input.to'],
      ['from in the past', { recurringBookingId: series.id, from: addDays(today(), -1), to: addDays(first, 1) }, 'input.from'],
    ];
    for (const [name, input, field] of pauses) {
      const result = await server.request(PauseRecurringBookingDocument, { input: input as never }, owner);
      expect({ name, ...errorOf(result), message: undefined }).toEqual({ name, code: 'BAD_USER_INPUT', field, message: undefined });
    }
    await server.ok(PauseRecurringBookingDocument, { input: { recurringBookingId: series.id, from: addDays(first, 7), to: addDays(first, 8) } }, owner);
    const overlapping = await server.request(PauseRecurringBookingDocument, { input: { recurringBookingId: series.id, from: addDays(first, 8), to: addDays(first, 9) } }, owner);
    expect(errorOf(overlapping)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.from' });
    expect(await count(server.db, 'recurring_bookings', 'replaces_id = $1', [series.id])).toBe(0);
    expect(await count(server.db, 'series_pauses', 'recurring_booking_id = $1', [series.id])).toBe(1);

    // A cancelled series can be neither changed nor paused, nor its pauses removed.
    await server.ok(CancelRecurringBookingDocument, { input: { recurringBookingId: series.id } }, owner);
    const [kept] = await server.db.query<{ id: string }>('SELECT id FROM series_pauses WHERE recurring_booking_id = $1', [series.id]);
    expect(errorOf(await server.request(ChangeRecurringBookingDocument, { input: { ...base, startTime: '08:00', endTime: '09:00' } }, owner)).code).toBe('CONFLICT');
    expect(errorOf(await server.request(PauseRecurringBookingDocument, { input: { recurringBookingId: series.id, from: addDays(first, 20), to: addDays(first, 21) } }, owner)).code).toBe('CONFLICT');
    expect(errorOf(await server.request(RemoveSeriesPauseDocument, { id: kept.id }, owner)).code).toBe('CONFLICT');
    expect(await count(server.db, 'series_pauses', 'recurring_booking_id = $1', [series.id])).toBe(1);
  });
});

describe('createRecurringBooking with intervalWeeks and occurrences', () => {
  it.each([
    ['intervalWeeks 0', { intervalWeeks: 0 }, 'input.intervalWeeks'],
    ['intervalWeeks 13', { intervalWeeks: 13 }, 'input.intervalWeeks'],
    ['occurrences 0', { occurrences: 0 }, 'input.occurrences'],
    ['occurrences 521', { occurrences: 521 }, 'input.occurrences'],
    ['occurrences with endDate', { occurrences: 5, endDate: nextWeekday(2, 'UTC', 8) }, 'input.occurrences'],
  ])('refuses %s (BAD_USER_INPUT, nothing written)', async (_name, extra, field) => {
    const who = await member();
    const result = await server.request(
      CreateSeriesDocument,
      { input: { coachId: studio.coach.id, memberId: who.id, dayOfWeek: 2, startTime: '05:00', endTime: '06:00', startDate: nextWeekday(2), timezone: 'UTC', ...extra } },
      owner,
    );
    expect(errorOf(result)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count(server.db, 'recurring_bookings', 'member_id = $1', [who.id])).toBe(0);
  });
});

describe('pauses', () => {
  it('cancels the sessions inside a pause as PAUSED, holds nothing there on later runs, and holds them again (same ids) when the pause is removed', async () => {
    const who = await member();
    const { coach: c } = await coach();
    const first = nextWeekday(3);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: c.id, memberId: who.id, dayOfWeek: 3, startTime: '17:00', endTime: '18:00', startDate: first, endDate: addDays(first, 35), timezone: 'UTC' } },
      owner,
    );
    const before = await sessionsOf(server.db, series.id);
    const { pauseRecurringBooking: pause } = await server.ok(
      PauseRecurringBookingDocument,
      { input: { recurringBookingId: series.id, from: addDays(first, 6), to: addDays(first, 15) } },
      c,
    );
    const paused = await server.db.query<{ id: string; status: string; cancellation_reason: string }>(
      'SELECT id, status, cancellation_reason FROM training_sessions WHERE recurring_booking_id = $1 AND status = $2 ORDER BY start_time',
      [series.id, 'CANCELLED'],
    );
    expect(paused).toEqual([before[1], before[2]].map((s) => ({ id: s.id, status: 'CANCELLED', cancellation_reason: 'PAUSED' })));
    await generate();
    expect(await scheduled(series.id)).toHaveLength(4);
    // The member hears once (the coach paused), not once per cancelled session.
    expect(await count(server.db, 'notifications', "user_id = $1 AND kind = 'SESSION_CANCELLED'", [who.id])).toBe(0);
    const [notice] = await server.db.query<{ body: string }>("SELECT body FROM notifications WHERE user_id = $1 AND kind = 'SERIES_CHANGED'", [who.id]);
    expect(notice.body).toContain(`paused from ${addDays(first, 6)} to ${addDays(first, 15)}; 2 sessions cancelled.`);
    expect(await count(server.db, 'notifications', "user_id = $1 AND kind = 'SERIES_CHANGED'", [c.id])).toBe(0);

    await server.ok(RemoveSeriesPauseDocument, { id: pause.id }, who);
    expect((await scheduled(series.id)).map((s) => s.id)).toEqual(before.map((s) => s.id));
    expect((await server.ok(SeriesDocument, { id: series.id }, who)).recurringBooking!.pauses).toEqual([]);
    const gone = await server.request(RemoveSeriesPauseDocument, { id: pause.id }, who);
    expect(errorOf(gone).code).toBe('NOT_FOUND');
  });
});

describe('removing a pause and the room', () => {
  /** A weekly series (Wednesdays 17:00-18:00, four weeks) with its second week paused. */
  async function pausedSeries(setup: CoachSetup) {
    const who = await member();
    const first = nextWeekday(3);
    const { createRecurringBooking: series } = await server.ok(
      CreateSeriesDocument,
      { input: { coachId: setup.coach.id, memberId: who.id, roomId: setup.roomId, dayOfWeek: 3, startTime: '17:00', endTime: '18:00', startDate: first, endDate: addDays(first, 21), timezone: 'UTC' } },
      owner,
    );
    const week = addDays(first, 7);
    const { pauseRecurringBooking: pause } = await server.ok(PauseRecurringBookingDocument, { input: { recurringBookingId: series.id, from: week, to: week } }, owner);
    const [paused] = (await sessionsOf(server.db, series.id)).filter((s) => s.status === 'CANCELLED');
    expect(paused.start).toEqual(at(week, '17:00'));
    return { series, pause, paused, week };
  }

  it('revives a paused session into a room whose busiest instant still has a seat (peak, not any overlap)', async () => {
    const setup = await coachWithRoom(server, { capacity: 2 });
    const { pause, paused, week } = await pausedSeries(setup);
    // Two one-off sessions of other coaches in the room, one after the other: at most one at any instant.
    for (const time of ['17:00', '17:30']) {
      const { coach: other } = await coach();
      await server.ok(BookSessionDocument, { input: { coachId: other.id, memberId: (await member()).id, roomId: setup.roomId, startTime: at(week, time).toISOString(), durationMinutes: 30 } }, owner);
    }
    await server.ok(RemoveSeriesPauseDocument, { id: pause.id }, owner);
    const [row] = await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [paused.id]);
    expect(row.status).toBe('SCHEDULED');
  });

  it('does not overfill the room when a revival races a booking that holds the room', async () => {
    const setup = await coachWithRoom(server, { capacity: 1 });
    const { pause, paused, week } = await pausedSeries(setup);
    const { coach: other } = await coach();
    const otherMember = await member();
    const booking = new pg.Client({ connectionString: server.db.url });
    await booking.connect();
    try {
      // A booking in flight, as bookSession writes it: the room row locked, its session inserted, not yet committed.
      await booking.query('BEGIN');
      await booking.query('SELECT capacity FROM rooms WHERE id = $1 FOR UPDATE', [setup.roomId]);
      await booking.query(
        `INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status) VALUES ($1, $2, $3, $4, $5, 'SCHEDULED')`,
        [other.id, otherMember.id, setup.roomId, at(week, '17:00'), at(week, '18:00')],
      );
      let settled = false;
      const revival = server.request(RemoveSeriesPauseDocument, { id: pause.id }, owner).finally(() => (settled = true));
      // Commit only once the revival has finished or is waiting for a lock (the room row).
      await until(async () => {
        if (settled) return true;
        const waiting = await booking.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        return waiting.rows[0].n > 0;
      }, 15_000, 'the revival to finish or wait');
      await booking.query('COMMIT');
      expect((await revival).errors).toBeUndefined();
    } finally {
      await booking.end();
    }
    const [{ n }] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM training_sessions WHERE room_id = $1 AND status <> 'CANCELLED' AND start_time < $3 AND end_time > $2`,
      [setup.roomId, at(week, '17:00'), at(week, '18:00')],
    );
    expect(n).toBe(1);
    const [row] = await server.db.query<{ status: string }>('SELECT status FROM training_sessions WHERE id = $1', [paused.id]);
    expect(row.status).toBe('CANCELLED');
  });
});
