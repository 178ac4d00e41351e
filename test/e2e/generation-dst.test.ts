/**
 * A weekly series in Europe/Berlin across a daylight-saving change (the first one from
 * the Sunday after next): the wall-clock time stays, the UTC instant moves
 * by an hour, and a time in the change's gap or fold follows the 'compatible' rule.
 */
import { addDays } from '../../src/domain/civil-date';
import { CreateRecurringBookingDocument } from '../generated/graphql';
import { coachWithRoom, HOUR, nextWeekday, sessionsOf, today, WEEK } from '../support/booking-fixtures';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

const ZONE = 'Europe/Berlin';
const MINUTE = 60_000;

/** Berlin's UTC offset (ms) at noon UTC of a date, read through Intl only. */
function offsetOn(date: string): number {
  const noon = new Date(`${date}T12:00:00Z`);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(noon)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return wall - noon.getTime();
}

/** Wall-clock weekday and time of an instant in Berlin, e.g. "Sun 10:00". */
function berlinWallClock(instant: Date): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant).replace(',', '');
}

// The first Sunday (Berlin changes on Sundays) whose offset differs from the day before, from
// the Sunday after next: a series has a Sunday before the change whatever today is.
let changeDay = nextWeekday(0, ZONE, 1);
while (offsetOn(changeDay) === offsetOn(addDays(changeDay, -1))) changeDay = addDays(changeDay, 7);
const before = offsetOn(addDays(changeDay, -1));
const after = offsetOn(changeDay);
const springForward = after > before;
// Enough weeks to reach two Sundays past the change.
const horizonWeeks = Math.ceil((Date.parse(`${changeDay}T00:00:00Z`) + 2 * WEEK - Date.now()) / WEEK);

let server: TestServer;
let member: TestUser;
let coachId: string;

beforeAll(async () => {
  server = await startTestServer({ env: { STUDIO_TIMEZONE: ZONE, GENERATION_HORIZON_WEEKS: String(horizonWeeks) } });
  const studio = await coachWithRoom(server);
  coachId = studio.coach.id;
  member = await server.user('MEMBER');
});
afterAll(() => server.stop());

it(`finds the next change in ${ZONE} inside one year, an hour either way`, () => {
  expect(horizonWeeks).toBeLessThanOrEqual(52);
  expect(Math.abs(after - before)).toBe(HOUR);
  expect(changeDay > today(ZONE)).toBe(true);
});

it('keeps "Sunday 10:00 Berlin" at 10:00 local across the change, so the UTC instant moves by an hour', async () => {
  const startDate = addDays(changeDay, -14) > today(ZONE) ? addDays(changeDay, -14) : nextWeekday(0, ZONE);
  const { createRecurringBooking: booking } = await server.ok(
    CreateRecurringBookingDocument,
    { input: { coachId, dayOfWeek: 0, startTime: '10:00', endTime: '11:00', startDate } }, // timezone: STUDIO_TIMEZONE
    member,
  );
  expect(booking.timezone).toBe(ZONE);
  const sessions = await sessionsOf(server.db, booking.id);
  const dates = sessions.map((s) => s.start);
  expect(dates.map(berlinWallClock).every((w) => w === 'Sun 10:00')).toBe(true);
  expect(sessions.every((s) => s.end.getTime() - s.start.getTime() === HOUR)).toBe(true);

  const lastBefore = sessions.filter((s) => s.start.getTime() < Date.parse(`${changeDay}T00:00:00Z`)).at(-1)!;
  const onChangeDay = sessions.find((s) => s.start.toISOString().startsWith(changeDay))!;
  expect(lastBefore.start.toISOString()).toBe(new Date(Date.parse(`${addDays(changeDay, -7)}T10:00:00Z`) - before).toISOString());
  expect(onChangeDay.start.toISOString()).toBe(new Date(Date.parse(`${changeDay}T10:00:00Z`) - after).toISOString());
  // One week apart on the wall clock, a week minus (spring) or plus (autumn) an hour in real time.
  expect(onChangeDay.start.getTime() - lastBefore.start.getTime()).toBe(WEEK - (after - before));
});

it(`puts 02:30 on the change day where the 'compatible' rule says (${springForward ? 'gap: shifted forward by the hour' : 'fold: the earlier of the two'})`, async () => {
  const other = await server.user('MEMBER');
  const { createRecurringBooking: booking } = await server.ok(
    CreateRecurringBookingDocument,
    { input: { coachId, dayOfWeek: 0, startTime: '02:30', endTime: '03:00', startDate: changeDay, endDate: changeDay } },
    other,
  );
  const [session] = await sessionsOf(server.db, booking.id);
  // Both cases: the wall time read with the offset in force before the change.
  const expected = Date.parse(`${changeDay}T02:30:00Z`) - before;
  expect(session.start.getTime()).toBe(expected);
  expect(berlinWallClock(session.start)).toBe(springForward ? 'Sun 03:30' : 'Sun 02:30');
  expect(session.end.getTime() - session.start.getTime()).toBe(30 * MINUTE); // the duration stays
});
