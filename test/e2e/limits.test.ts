import { getIntrospectionQuery, parse } from 'graphql';
import pg from 'pg';
import { MAX_ALIASES, MAX_COMPLEXITY, MAX_ROOT_FIELDS, MAX_SELECTIONS, MAX_TOKENS } from '../../src/graphql/limits';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/http/graphql-ws';
import { LiveSubscription, wsClient } from '../support/live';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** Abuse limits: what one request, or one websocket connection, may ask of the server. */
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
  const coach = await server.user('COACH');
  const member = await server.user('MEMBER');
  // 200 sessions with three history entries each: enough for a page of them to be real work.
  await server.db.query(
    `WITH room AS (INSERT INTO rooms (name, capacity) VALUES ('Limits room', 1) RETURNING id),
          s AS (
            INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status)
            SELECT $1, $2, room.id, date_trunc('hour', now()) + g * interval '1 hour', date_trunc('hour', now()) + g * interval '1 hour' + interval '30 minutes', 'SCHEDULED'
            FROM generate_series(1, 200) g, room RETURNING id)
     INSERT INTO session_status_changes (session_id, from_status, to_status, at, actor_id)
     SELECT s.id, NULL, 'SCHEDULED', now() - k * interval '1 minute', $3 FROM s, generate_series(1, 3) k`,
    [coach.id, member.id, owner.id],
  );
});
afterAll(() => server.stop());

type Result = { status: number; data?: unknown; errors?: { message: string; extensions: { code: string; field?: string } }[] };

async function post(query: string, variables?: Record<string, unknown>): Promise<Result> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Result, 'status'>) };
}

/** One operation over graphql-ws, as a dashboard would send it; resolves with its result or errors. */
async function overWebsocket(query: string): Promise<{ data?: unknown; errors?: Result['errors'] }> {
  const client = wsClient(server, owner);
  try {
    return await new Promise((resolve) => {
      let data: unknown;
      client.subscribe({ query }, {
        next: (result) => (data = result.data),
        error: (errors) => resolve({ errors: errors as Result['errors'] }),
        complete: () => resolve({ data }),
      });
    });
  } finally {
    await client.dispose();
  }
}

const page = (alias: string, first: number | string) => `${alias}: sessions(first: ${first}) { edges { node { id coach { id } member { id } room { id } } } }`;
const heavyPage = (alias: string) =>
  `${alias}: sessions(first: 100) { edges { node { id startTime coach { name email } member { name email } room { name } history(first: 3) { at actor { name } } } } }`;

describe('page sizes', () => {
  it.each([
    ['sessions(first: -100000000)', '{ sessions(first: -100000000) { totalCount } }', 'first'],
    ['sessions(first: 0)', '{ sessions(first: 0) { totalCount } }', 'first'],
    ['sessions(first: 201)', '{ sessions(first: 201) { totalCount } }', 'first'],
    ['generationRuns(last: -5000000)', '{ generationRuns(last: -5000000) { id } }', 'last'],
    ['recurringBookings(first: 0)', '{ recurringBookings(first: 0) { id } }', 'first'],
    ['history(first: 1000)', '{ sessions(first: 1) { edges { node { history(first: 1000) { at } } } } }', 'first'],
    ['RecurringBooking.sessions(first: -1)', '{ recurringBookings { sessions(first: -1) { id } } }', 'first'],
  ])('%s is refused before execution, naming the argument', async (_label, query, field) => {
    const result = await post(query);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
  });

  it('checks a page size given in a variable the same way', async () => {
    const result = await post('query($n: Int) { sessions(first: $n) { totalCount } }', { n: -5 });
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  });

  it('applies the same rules over websockets', async () => {
    const result = await overWebsocket('{ sessions(first: -100000000) { totalCount } }');
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
  });

  it('answers first: null with the default page (50), and prices it so', async () => {
    const one = await post('{ sessions(first: null) { edges { node { id } } } }');
    expect((one.data as { sessions: { edges: unknown[] } }).sessions.edges).toHaveLength(50);
    // Priced at 1 row each, 12 of these would pass; at 50 rows each they cost more than the limit.
    const twelve = Array.from({ length: 12 }, (_, i) => page(`p${i}`, 'null')).join(' ');
    const result = await post(`{ ${twelve} }`);
    expect(result.errors?.[0].message).toMatch(/too complex/);
  });
});

describe('query complexity', () => {
  it('prices a list by its page size and answers a query within the limit', async () => {
    const result = await post(`{ ${page('a', 200)} }`);
    expect(result.errors).toBeUndefined();
  });

  it(`refuses a query over ${MAX_COMPLEXITY} (many large pages) before running it`, async () => {
    const aliases = Array.from({ length: 12 }, (_, i) => page(`p${i}`, 200)).join(' ');
    const result = await post(`{ ${aliases} }`);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0].message).toMatch(/too complex/);
  });

  it('prices lists without a page size by their bound: series, their sessions, history', async () => {
    // 20 series x 50 sessions x 20 history entries by default: far more than one request may cost.
    const result = await post('{ recurringBookings { sessions { history { at } } } }');
    expect(result.errors?.[0].message).toMatch(/too complex/);
    const small = await post('{ recurringBookings(first: 5) { sessions(first: 10) { history(first: 5) { at } } } }');
    expect(small.errors).toBeUndefined();
  });

  it('refuses the negative-page-size attack without doing its work after answering', async () => {
    // What a legitimate page of this selection costs this process, for scale.
    const alone = process.cpuUsage();
    const single = await post(`{ ${heavyPage('one')} }`);
    expect(single.errors).toBeUndefined();
    const onePageMs = cpuMs(process.cpuUsage(alone));

    // 19 such pages, and one negative page size that once made the whole price negative.
    const attack = `{ x: sessions(first: -100000000) { totalCount } ${Array.from({ length: 19 }, (_, i) => heavyPage(`p${i}`)).join(' ')} }`;
    const before = process.cpuUsage();
    const result = await post(attack);
    await new Promise((resolve) => setTimeout(resolve, 500)); // anything left running would run now
    const attackMs = cpuMs(process.cpuUsage(before));

    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(result.data).toBeUndefined();
    // Executing the 19 pages costs about 19 times one page (as it did, answered in 9 ms, then 4-5 s
    // of CPU); refusing them costs next to nothing: well under a fifth of that, whatever the machine.
    expect(attackMs).toBeLessThan(4 * onePageMs);
  });
});

describe('work after the response', () => {
  it('keeps counting against the request limit until the resolvers left running are done', async () => {
    // Two requests execute at once. The reminder worker shares the pool and reads sessions: its
    // only pass here (at start) must be over before the table is locked, or it would hold a
    // connection the requests count on (seen on a loaded CI machine).
    const small = await startTestServer({ env: { DATABASE_POOL_SIZE: '2', OUTBOX_POLL_INTERVAL_MS: '600000' } });
    const locker = new pg.Client({ connectionString: small.db.url });
    await locker.connect();
    try {
      const user = await small.user('OWNER');
      await small.app.reminders.idle();
      const send = (query: string, token?: string) =>
        fetch(small.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query }),
        }).then(async (response) => (await response.json()) as Omit<Result, 'status'>);
      // Sessions cannot be read while this transaction holds the table.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE training_sessions IN ACCESS EXCLUSIVE MODE');
      // `bad` fails at once and ends the response (a non-null root field); `stuck` goes on waiting for the table.
      const orphaning = '{ bad: sessions(after: "forged") { totalCount } stuck: sessions(first: 1) { totalCount } }';
      for (const answer of await Promise.all([send(orphaning, user.token), send(orphaning, user.token)])) {
        expect(answer).toMatchObject({ data: null, errors: [{ extensions: { code: 'BAD_USER_INPUT', field: 'after' } }] });
      }
      // Both slots are still taken by the stuck resolvers: a request that needs no database waits its turn.
      let answered = false;
      const next = send('{ __typename }').then((answer) => ((answered = true), answer));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(answered).toBe(false);
      await locker.query('COMMIT');
      expect((await next).data).toEqual({ __typename: 'Query' });
    } finally {
      await locker.end();
      await small.stop();
    }
  });
});

describe('fields per operation', () => {
  it('refuses 2,400 aliases of `me` before looking anyone up (the document is too long to parse)', async () => {
    const query = `{ ${Array.from({ length: 2400 }, (_, i) => `m${i}: me { id }`).join(' ')} }`;
    const result = await post(query);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0].message).toMatch(new RegExp(`more th[a-z]+ ${MAX_TOKENS} tokens`)) // graphql-js writes "more that";
  });

  it(`refuses a document of more than ${MAX_SELECTIONS} selections before validating it (validation is quadratic in them)`, async () => {
    const repeated = `{ sessions { ${'edges { node { id } } '.repeat(Math.ceil(MAX_SELECTIONS / 3) + 1)} } }`;
    const result = await post(repeated);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/Too many selections/), extensions: { code: 'BAD_USER_INPUT' } });
    expect((await overWebsocket(repeated)).errors?.[0].message).toMatch(/Too many selections/);
  });

  it(`refuses more than ${MAX_ALIASES} aliases`, async () => {
    const result = await post(`{ me { ${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: id`).join(' ')} } }`);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result.errors?.[0].message).toMatch(/Too many aliases/);
  });

  it(`allows ${MAX_ALIASES} aliases and at most ${MAX_ROOT_FIELDS} root fields`, async () => {
    const roots = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `m${i}: me { id }`).join(' ')} }`;
    expect((await post(roots(MAX_ROOT_FIELDS))).errors).toBeUndefined();
    const tooMany = await post(roots(MAX_ROOT_FIELDS + 1));
    expect(tooMany.errors?.[0].message).toMatch(/Too many root fields/);
    const nested = `{ me { ${Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expect((await post(nested)).errors).toBeUndefined();
  });
});

describe('introspection', () => {
  it("answers graphql-js's own introspection query (what codegen, GraphiQL and get-graphql-schema send)", async () => {
    const result = await post(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect((result.data as { __schema: { queryType: { name: string } } }).__schema.queryType.name).toBe('Query');
  });

  it('refuses introspection nested to multiply work (graphql-js MaxIntrospectionDepthRule)', async () => {
    const result = await post('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0].message).toMatch(/Maximum introspection depth exceeded/);
  });

  it('still refuses other queries deeper than the limit', async () => {
    const deep = `{ sessions { edges { node { recurringBooking { sessions { recurringBooking { sessions { recurringBooking { sessions { recurringBooking { sessions { id } } } } } } } } } } } }`;
    const result = await post(deep);
    expect(result.errors?.[0].message).toMatch(/too deep/);
  });

  it('is refused when introspection is off, however it is asked', async () => {
    const closed = await startTestServer({ env: { GRAPHQL_INTROSPECTION: 'false' } });
    try {
      const user = await closed.user('OWNER');
      const response = await fetch(closed.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query: getIntrospectionQuery() }),
      });
      const body = (await response.json()) as Result;
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0].message).toMatch(/introspection/i);
    } finally {
      await closed.stop();
    }
  });
});

describe('websocket connections', () => {
  it(`carry at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions each`, async () => {
    const client = wsClient(server, owner);
    const subscriptions = Array.from(
      { length: MAX_SUBSCRIPTIONS_PER_CONNECTION + 1 },
      () => new LiveSubscription<unknown>(client, parse('subscription { sessionChanged { kind } }') as never),
    );
    try {
      const last = subscriptions[MAX_SUBSCRIPTIONS_PER_CONNECTION];
      await last.until(() => last.errors.length > 0, 10_000);
      expect(last.errors[0]).toMatchObject({ message: expect.stringMatching(/At most/) });
      expect(subscriptions.slice(0, MAX_SUBSCRIPTIONS_PER_CONNECTION).flatMap((s) => s.errors)).toEqual([]);
    } finally {
      for (const s of subscriptions) s.dispose();
      await client.dispose();
    }
  });

  it('refuse 2,400 aliases of `me` too', async () => {
    const result = await overWebsocket(`{ ${Array.from({ length: 2400 }, (_, i) => `m${i}: me { id }`).join(' ')} }`);
    expect(result.errors?.[0].message).toMatch(new RegExp(`more th[a-z]+ ${MAX_TOKENS} tokens`)) // graphql-js writes "more that";
  });
});

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
