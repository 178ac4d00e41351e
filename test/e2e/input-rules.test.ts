import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { coachWithHours, localAt } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** Input rules that are about what the client meant: timezone names as sent, start times on whole minutes. */
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  member = await server.user('MEMBER');
  coach = (await coachWithHours(server, owner, { from: '00:00', to: '23:59' })).coach;
});
afterAll(() => server.stop());

const gql = (query: string, variables: Record<string, unknown>, as = member) =>
  server.request<Record<string, { id: string; timezone: string }>>(query, variables, as);

const SERIES = 'mutation($i: CreateRecurringBookingInput!) { createRecurringBooking(input: $i) { id timezone } }';

describe('timezone names', () => {
  it.each([
    ['Europe/Kyiv', 1, 'not Europe/Kiev'],
    ['Asia/Kolkata', 2, 'not Asia/Calcutta'],
    ['Asia/Kathmandu', 3, 'not Asia/Katmandu'],
    ['europe/berlin', 4, 'in its IANA letter case: Europe/Berlin'],
  ])('%s comes back as the client sent it (%s)', async (timezone, dayOfWeek) => {
    const startDate = addDays(localDateOf(new Date(), timezone), 1);
    const created = await gql(SERIES, { i: { coachId: coach.id, dayOfWeek, startTime: '12:00', endTime: '13:00', startDate, timezone } });
    expect(created.errors).toBeUndefined();
    const expected = timezone === 'europe/berlin' ? 'Europe/Berlin' : timezone;
    expect(created.data?.createRecurringBooking.timezone).toBe(expected);
    const read = await gql('query($id: ID!) { recurringBooking(id: $id) { timezone } }', { id: created.data?.createRecurringBooking.id });
    expect(read.data?.recurringBooking.timezone).toBe(expected);
  });
});

describe('start times', () => {
  const BOOK = 'mutation($i: BookSessionInput!) { bookSession(input: $i) { id } }';
  const at = localAt('UTC', 9, '10:00');
  // A coach and member of their own: the series above recur on every weekday this date can fall on.
  let booker: TestUser;
  let teacher: TestUser;
  beforeAll(async () => {
    booker = await server.user('MEMBER');
    teacher = (await coachWithHours(server, owner, { from: '00:00', to: '23:59' })).coach;
  });

  it.each([
    ['seconds', new Date(at.getTime() + 30_000)],
    ['milliseconds', new Date(at.getTime() + 1)],
  ])('with %s are refused: whole minutes only', async (_label, startTime) => {
    const result = await gql(BOOK, { i: { coachId: teacher.id, startTime: startTime.toISOString() } }, booker);
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/whole minutes only/), extensions: { code: 'BAD_USER_INPUT', field: 'input.startTime' } });
  });

  it('on a whole minute are booked, and a reschedule must keep to whole minutes too', async () => {
    const booked = await gql(BOOK, { i: { coachId: teacher.id, startTime: at.toISOString() } }, booker);
    expect(booked.errors).toBeUndefined();
    const moved = await gql('mutation($id: ID!, $t: DateTime!) { rescheduleSession(id: $id, startTime: $t) { id } }', {
      id: booked.data?.bookSession.id,
      t: new Date(at.getTime() + 3_600_000 + 15_000).toISOString(),
    }, booker);
    expect(moved.errors?.[0]).toMatchObject({ message: expect.stringMatching(/whole minutes only/), extensions: { code: 'BAD_USER_INPUT', field: 'startTime' } });
  });
});
