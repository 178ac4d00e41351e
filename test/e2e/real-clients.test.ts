import { localAt } from '../support/schedule';
import { wsClient } from '../support/live';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/**
 * What real clients (Apollo Client, urql, graphql-codegen, plain fetch) trip over: errors
 * that name the argument, ids for normalised caches, CSRF prevention, request ids, and
 * requests that never become operations.
 */
let server: TestServer;
let owner: TestUser;
let coach: TestUser;
let member: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  coach = await server.user('COACH');
  member = await server.user('MEMBER');
});
afterAll(() => server.stop());

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string; field?: string }; path?: unknown; stack?: unknown }[] };

async function post(query: string, variables?: Record<string, unknown>, as: TestUser = member) {
  const { status, ...body } = await server.request(query, variables, as);
  return { status, body: body as Body };
}

const BOOK = 'mutation($b: BookSessionInput!) { bookSession(input: $b) { id } }';
const future = localAt('UTC', 5, '10:00').toISOString();

describe('errors name the argument path, not the client variable', () => {
  it.each([
    ['a variable field of the wrong format', BOOK, { b: { coachId: 'c', startTime: 'tomorrow' } }, 'input.startTime'],
    ['a variable missing a required field', BOOK, { b: { startTime: future } }, 'input.coachId'],
    ['a variable with an unknown field', BOOK, { b: { coachId: 'c', startTime: future, colour: 'red' } }, 'input.colour'],
    ['a whole variable of the wrong type', 'mutation($x: Int) { createRoom(name: "R", capacity: $x) { id } }', { x: 'many' }, 'capacity'],
    ['a variable inside a list', 'mutation($d: Int!) { setWeeklyAvailability(slots: [{ dayOfWeek: $d, startTime: "09:00", endTime: "10:00" }]) { id } }', { d: 'Monday' }, 'slots.0.dayOfWeek'],
    ['an inline literal of the wrong format', `mutation { bookSession(input: { coachId: "c", startTime: "tomorrow" }) { id } }`, undefined, 'input.startTime'],
    ['an inline literal missing a required field', `mutation { bookSession(input: { startTime: "${future}" }) { id } }`, undefined, 'input.coachId'],
    ['an inline enum literal', 'query { users(role: ADMIN) { id } }', undefined, 'role'],
  ])('%s', async (_label, query, variables, field) => {
    const { status, body } = await post(query, variables, query.includes('users') || query.includes('createRoom') ? owner : member);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('the same over websockets', async () => {
    const client = wsClient(server, member);
    try {
      const errors = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: BOOK, variables: { b: { coachId: 'c', startTime: 'tomorrow' } } }, { next: () => undefined, error: resolve, complete: () => resolve(null) });
      });
      expect((errors as Body['errors'])?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.startTime' });
    } finally {
      await client.dispose();
    }
  });
});

describe('ids for normalised caches', () => {
  it('CoachSettings.id is the coach id and SessionStatusChange.id each change', async () => {
    const settings = await post('query($c: ID!) { coachSettings(coachId: $c) { id coach { id } } }', { c: coach.id });
    expect(settings.body.data?.coachSettings).toEqual({ id: coach.id, coach: { id: coach.id } });

    const [row] = await server.db.query<{ id: string }>(`INSERT INTO rooms (name, capacity) VALUES ('Ids room', 1) RETURNING id`);
    await server.db.query(`INSERT INTO weekly_availability (coach_id, day_of_week, start_minute, end_minute) SELECT $1, d, 0, 1439 FROM generate_series(0, 6) d`, [coach.id]);
    const booked = await post(`mutation($b: BookSessionInput!) { bookSession(input: $b) { history { id to } } }`, { b: { coachId: coach.id, startTime: future, roomId: row.id } });
    const history = (booked.body.data?.bookSession as { history: { id: string; to: string }[] }).history;
    expect(history).toEqual([{ id: expect.stringMatching(/^[0-9a-f-]{36}$/), to: 'SCHEDULED' }]);
  });
});

describe('CSRF prevention and request ids', () => {
  const get = (headers: Record<string, string> = {}) =>
    fetch(`${server.url}?query=${encodeURIComponent('{ me { id } }')}`, { headers: { authorization: `Bearer ${member.token}`, ...headers } });

  it('refuses a simple GET (what urql sends by default) with a JSON error and a request id', async () => {
    const response = await get();
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);
    const body = (await response.json()) as Body;
    expect(body.errors?.[0].message).toMatch(/CSRF/);
  });

  it('answers a GET that carries apollo-require-preflight, and a JSON POST', async () => {
    const response = await get({ 'apollo-require-preflight': 'true' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Body).data).toEqual({ me: { id: member.id } });
    expect((await post('{ me { id } }')).body.data).toEqual({ me: { id: member.id } });
  });

  it('echoes a well-formed x-request-id the client sent, on every response', async () => {
    const health = await fetch(server.url.replace('/graphql', '/healthz'), { headers: { 'x-request-id': 'client-123' } });
    expect(health.headers.get('x-request-id')).toBe('client-123');
    const refused = await get({ 'x-request-id': 'client-456' });
    expect(refused.headers.get('x-request-id')).toBe('client-456');
  });
});

describe('requests that never become operations', () => {
  it('a subscription POSTed over HTTP is told to use graphql-ws', async () => {
    const { status, body } = await post('subscription { sessionChanged { kind } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors?.[0].message).toMatch(/graphql-ws/);
  });

  it('leave no slot of the request limiter taken when Apollo refuses them', async () => {
    const small = await startTestServer({ env: { DATABASE_POOL_SIZE: '2' } });
    try {
      const user = await small.user('MEMBER');
      const send = (body: unknown) =>
        fetch(small.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: JSON.stringify(body) });
      // Refused after the request context exists (so after the limiter let them in), never executed.
      for (const body of [{ query: 5 }, { query: '{ me { id } }', variables: 'x' }, { query: '{ me { id } }', variables: 'x' }]) {
        expect((await send(body)).status).toBe(400);
      }
      const me = await send({ query: '{ me { id } }' });
      expect(((await me.json()) as Body).data).toEqual({ me: { id: user.id } });
    } finally {
      await small.stop();
    }
  });

  // Express answers these with an HTML page and a stack trace outside production: not here.
  describe.each(['development', 'production', 'test'])('with NODE_ENV=%s', (mode) => {
    let other: TestServer;
    const previous = process.env.NODE_ENV;
    beforeAll(async () => {
      process.env.NODE_ENV = mode; // express reads it when an app is made
      other = await startTestServer({ env: { NODE_ENV: mode } });
    });
    afterAll(async () => {
      process.env.NODE_ENV = previous;
      await other.stop();
    });

    const send = (body: string) =>
      fetch(other.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it.each([
      ['malformed JSON', '{"query": "{ me { id } }"', 400, /not valid JSON/],
      ['a body over 100 kB', JSON.stringify({ query: `{ me { id } } #${'x'.repeat(110_000)}` }), 413, /larger than 100kb/],
    ])('%s gets a JSON error with a code, no stack, no path', async (_label, body, status, message) => {
      const response = await send(body);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(response.headers.get('x-request-id')).toBeTruthy();
      const text = await response.text();
      expect(text).not.toMatch(/\bat \w|node_modules|\/work\/|\\n {4}at/);
      const parsed = JSON.parse(text) as Body;
      expect(parsed.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } }]);
    });
  });
});
