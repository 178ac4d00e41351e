import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { coachWithHours } from '../support/schedule';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** Lists that grow without end come a page at a time (additive arguments; defaults keep old queries working). */
let server: TestServer;
let member: TestUser;
const seriesIds: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const owner = await server.user('OWNER');
  member = await server.user('MEMBER');
  const { coach } = await coachWithHours(server, owner, { from: '06:00', to: '22:00' });
  for (const dayOfWeek of [1, 3, 5]) {
    const created = await gql<{ createRecurringBooking: { id: string } }>(
      'mutation($i: CreateRecurringBookingInput!) { createRecurringBooking(input: $i) { id } }',
      { i: { coachId: coach.id, dayOfWeek, startTime: '10:00', endTime: '11:00', startDate: addDays(localDateOf(new Date(), 'UTC'), 1) } },
    );
    seriesIds.push(created.createRecurringBooking.id);
  }
});
afterAll(() => server.stop());

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

type Series = { id: string; sessions: { id: string; startTime: string }[] };

it('recurringBookings: oldest first, `first` at a time, `after` the last id of the previous page', async () => {
  const page1 = await gql<{ recurringBookings: { id: string }[] }>('{ recurringBookings(first: 2) { id } }');
  expect(page1.recurringBookings.map((s) => s.id)).toEqual(seriesIds.slice(0, 2));
  const page2 = await gql<{ recurringBookings: { id: string }[] }>('query($a: ID) { recurringBookings(first: 2, after: $a) { id } }', { a: seriesIds[1] });
  expect(page2.recurringBookings.map((s) => s.id)).toEqual(seriesIds.slice(2));
  const all = await gql<{ recurringBookings: { id: string }[] }>('{ recurringBookings { id } }');
  expect(all.recurringBookings.map((s) => s.id)).toEqual(seriesIds);
});

it('RecurringBooking.sessions: the oldest `first` of each series (cut in the database), within from/to', async () => {
  const { recurringBookings } = await gql<{ recurringBookings: Series[] }>('{ recurringBookings { id sessions { id startTime } } }');
  const everything = recurringBookings.map((s) => s.sessions);
  expect(everything.every((list) => list.length >= 4)).toBe(true);

  const capped = await gql<{ recurringBookings: Series[] }>('{ recurringBookings { id sessions(first: 2) { id startTime } } }');
  expect(capped.recurringBookings.map((s) => s.sessions)).toEqual(everything.map((list) => list.slice(0, 2)));

  const later = await gql<{ recurringBookings: Series[] }>('query($f: DateTime) { recurringBookings { sessions(first: 2, from: $f) { id } } }', { f: everything[0][2].startTime });
  expect(later.recurringBookings[0].sessions.map((s) => s.id)).toEqual(everything[0].slice(2, 4).map((s) => s.id));
});

it('TrainingSession.history: the oldest `first` changes', async () => {
  const { recurringBookings } = await gql<{ recurringBookings: Series[] }>('{ recurringBookings(first: 1) { sessions(first: 1) { id } } }');
  const id = recurringBookings[0].sessions[0].id;
  await gql('mutation($id: ID!) { cancelSession(id: $id, reason: "ill") { id } }', { id });
  const both = await gql<{ session: { history: { to: string }[] } }>('query($id: ID!) { session(id: $id) { history { to } } }', { id });
  expect(both.session.history.map((h) => h.to)).toEqual(['SCHEDULED', 'CANCELLED']);
  const first = await gql<{ session: { history: { to: string }[] } }>('query($id: ID!) { session(id: $id) { history(first: 1) { to } } }', { id });
  expect(first.session.history.map((h) => h.to)).toEqual(['SCHEDULED']);
});
