import { MeDocument } from '../generated/graphql';
import { startControllableCluster, type ControllableCluster } from '../support/pg-cluster';
import { errorOf, startTestServer, type TestServer, type TestUser } from '../support/server';

/** PostgreSQL goes away and comes back; the server answers cleanly throughout and needs no restart. */
let cluster: ControllableCluster;
let server: TestServer;
let member: TestUser;

beforeAll(async () => {
  cluster = await startControllableCluster();
  const db = { url: cluster.url, query: async () => [], drop: async () => undefined };
  server = await startTestServer({ db });
  member = await server.user('MEMBER');
});
afterAll(async () => {
  await server.stop();
  await cluster.destroy();
});

const readyz = () => fetch(server.url.replace('/graphql', '/readyz')).then((r) => r.status);

it('reports not ready and answers requests with a clean error while the database is down, and recovers without a restart', async () => {
  expect(await readyz()).toBe(200);
  expect((await server.ok(MeDocument, {}, member)).me.id).toBe(member.id);

  await cluster.stop();
  expect(await readyz()).toBe(503);
  const during = await server.request(MeDocument, {}, member);
  expect(during.status).toBe(503);
  expect(errorOf(during)).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Service unavailable, try again shortly' });

  await cluster.start();
  let recovered = false;
  for (let attempt = 0; attempt < 50 && !recovered; attempt++) {
    recovered = (await readyz()) === 200;
    if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(recovered).toBe(true);
  expect((await server.ok(MeDocument, {}, member)).me.id).toBe(member.id);
});
