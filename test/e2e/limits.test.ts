import { getIntrospectionQuery, parse } from 'graphql';
import { MAX_COMPLEXITY, MAX_INTROSPECTION_DEPTH } from '../../src/graphql/limits';
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from '../../src/http/graphql-ws';
import { LiveSubscription, wsClient } from '../support/live';
import { startTestServer, type TestServer, type TestUser } from '../support/server';

/** Abuse limits: what one request, or one websocket connection, may ask of the server. */
let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.user('OWNER');
});
afterAll(() => server.stop());

async function post(query: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] };
}

const page = (alias: string, first: number) => `${alias}: sessions(first: ${first}) { edges { node { id coach { id } member { id } room { id } } } }`;

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
});

describe('query depth', () => {
  it('lets the standard introspection query through (14 levels: what IDEs and codegen send)', async () => {
    const result = await post(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(result.data).toHaveProperty('__schema.queryType.name', 'Query');
  });

  it(`refuses introspection nested deeper than ${MAX_INTROSPECTION_DEPTH} levels (its type -> fields -> type cycles)`, async () => {
    const nested = (levels: number): string => (levels === 0 ? 'name' : `name fields { type { ${nested(levels - 1)} } }`);
    const result = await post(`{ __schema { types { ${nested(7)} } } }`); // 2 + 7 x 2 = 16 levels
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0].message).toMatch(/Introspection is too deep: 16 levels/);
  });

  it('still counts data fields inside the 10-level limit when introspection sits beside them', async () => {
    const deep = 'me { id }';
    expect((await post(`{ __schema { queryType { name } } ${deep} }`)).errors).toBeUndefined();
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
});
