/**
 * GET /metrics: Prometheus' text format with the default process metrics and the
 * server's own, counters that move as operations happen, labels from bounded sets only,
 * and the METRICS_TOKEN bearer when one is set.
 */
import { GenerateSessionsDocument, GenerationRunFinishedDocument, MeDocument, UsersDocument } from '../generated/graphql';
import { coachWithRoom, insertSeries, today } from '../support/booking-fixtures';
import { subscribe, wsClient } from '../support/live';
import { scrape, type Scrape } from '../support/prometheus';
import { startTestServer, type TestServer } from '../support/server';

const DESIGN_METRICS = [
  'graphql_operations_total',
  'graphql_operation_duration_seconds',
  'graphql_subscriptions_active',
  'generation_runs_total',
  'generation_sessions_created_total',
  'notification_deliveries_total',
  'webhook_deliveries_total',
  'outbox_pending',
];

async function post(server: TestServer, body: unknown, token?: string) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return response.json();
}

describe('without METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('serves every metric DESIGN.md names, and the default process metrics, in the text format', async () => {
    const { status, contentType, metrics } = await scrape(server.url);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of DESIGN_METRICS) expect(metrics!.types.has(name)).toBe(true);
    expect(metrics!.types.get('graphql_operation_duration_seconds')).toBe('histogram');
    expect(metrics!.types.get('graphql_subscriptions_active')).toBe('gauge');
    expect(metrics!.series('process_cpu_user_seconds_total')).toHaveLength(1);
    expect(metrics!.series('nodejs_heap_size_used_bytes')).toHaveLength(1);
  });

  it('counts GraphQL operations by type, root field and outcome, and times them in 5 ms - 5 s buckets', async () => {
    const owner = await server.user('OWNER');
    const member = await server.user('MEMBER');
    const before = (await scrape(server.url)).metrics!;

    await server.ok(MeDocument, {}, owner);
    await server.ok(MeDocument, {}, member);
    await server.request(UsersDocument, {}, member); // FORBIDDEN for members
    await post(server, { query: '{ nonsense' }, owner.token); // does not parse

    const after = (await scrape(server.url)).metrics!;
    const delta = (labels: Record<string, string>) => after.value('graphql_operations_total', labels) - before.value('graphql_operations_total', labels);
    expect(delta({ type: 'query', name: 'me', outcome: 'ok' })).toBe(2);
    expect(delta({ type: 'query', name: 'users', outcome: 'FORBIDDEN' })).toBe(1);
    expect(delta({ type: 'unknown', name: 'other', outcome: 'BAD_USER_INPUT' })).toBe(1);
    const count = (m: typeof after) => m.value('graphql_operation_duration_seconds_count', { type: 'query' });
    expect(count(after) - count(before)).toBe(3);
    const buckets = after.series('graphql_operation_duration_seconds_bucket').filter((s) => s.labels.type === 'query').map((s) => s.labels.le);
    expect(buckets).toEqual(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf']);
  });

  it('never takes a label from the client: operation names and unknown fields count as the root field or "other"', async () => {
    const owner = await server.user('OWNER');
    const before = (await scrape(server.url)).metrics!;
    await post(server, { query: 'query EvilLabel_12345 { me { id } }' }, owner.token);
    await post(server, { query: '{ __typename }' }, owner.token);
    await post(server, { query: '{ noSuchField_67890 }' }, owner.token);
    const { text, metrics } = await scrape(server.url);
    expect(text).not.toContain('EvilLabel_12345');
    expect(text).not.toContain('noSuchField_67890');
    expect(text).not.toContain(owner.id);
    const names = new Set(metrics!.series('graphql_operations_total').map((s) => s.labels.name));
    expect(names.has('__typename')).toBe(false);
    // The three requests, each counted once: under its root field, or as "other".
    const delta = (labels: Record<string, string>) => metrics!.value('graphql_operations_total', labels) - before.value('graphql_operations_total', labels);
    expect(delta({ type: 'query', name: 'me', outcome: 'ok' })).toBe(1);
    expect(delta({ type: 'query', name: 'other', outcome: 'ok' })).toBe(1);
    expect(delta({ type: 'query', name: 'other', outcome: 'BAD_USER_INPUT' })).toBe(1);
    const total = (m: typeof before) => m.series('graphql_operations_total').reduce((sum, s) => sum + s.value, 0);
    expect(total(metrics!) - total(before)).toBe(3);
  });

  it('counts generation runs by trigger and status, and the sessions they create', async () => {
    const owner = await server.user('OWNER');
    const studio = await coachWithRoom(server);
    const member = await server.user('MEMBER');
    await insertSeries(server.db, { memberId: member.id, coachId: studio.coach.id, roomId: studio.roomId, dayOfWeek: 3, startMinute: 600, endMinute: 660, startDate: today() });
    const before = (await scrape(server.url)).metrics!;

    const run = (await server.ok(GenerateSessionsDocument, {}, owner)).generateSessions;
    // A weekly series starting today has one occurrence in each week of the 6-week horizon, whatever the day.
    expect(run.totalGenerated).toBe(6);

    const after = (await scrape(server.url)).metrics!;
    const runs = (m: typeof after) => m.value('generation_runs_total', { trigger: 'MUTATION', status: 'SUCCEEDED' });
    expect(runs(after) - runs(before)).toBe(1);
    expect(after.value('generation_sessions_created_total') - before.value('generation_sessions_created_total')).toBe(run.totalGenerated);
    expect(after.value('generation_run_duration_seconds_count', { trigger: 'MUTATION' }) - before.value('generation_run_duration_seconds_count', { trigger: 'MUTATION' })).toBe(1);
  });

  it('shows open subscriptions in graphql_subscriptions_active until they end', async () => {
    const owner = await server.user('OWNER');
    const base = (await scrape(server.url)).metrics!.value('graphql_subscriptions_active');
    const client = wsClient(server, owner);
    const subscribed = (m: Scrape) => m.value('graphql_operations_total', { type: 'subscription', name: 'generationRunFinished', outcome: 'ok' });
    const countedBefore = subscribed((await scrape(server.url)).metrics!);
    const first = subscribe(client, GenerationRunFinishedDocument);
    const second = subscribe(client, GenerationRunFinishedDocument);
    await waitFor(async () => (await scrape(server.url)).metrics!.value('graphql_subscriptions_active') === base + 2);
    // Each subscription is counted once, when it starts.
    expect(subscribed((await scrape(server.url)).metrics!) - countedBefore).toBe(2);

    first.dispose(); // the client completes one
    await waitFor(async () => (await scrape(server.url)).metrics!.value('graphql_subscriptions_active') === base + 1);
    second.dispose();
    await client.dispose(); // and closes the socket
    await waitFor(async () => (await scrape(server.url)).metrics!.value('graphql_subscriptions_active') === base);
  });
});

describe('with METRICS_TOKEN', () => {
  const TOKEN = 'metrics-token-0123456789abcdef';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => server.stop());

  it('answers 401 without the token or with a wrong one, and serves the metrics with it', async () => {
    const none = await scrape(server.url);
    expect(none.status).toBe(401);
    expect(none.text).not.toContain('graphql_operations_total');
    expect((await scrape(server.url, 'wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await scrape(server.url, TOKEN.slice(0, -1))).status).toBe(401);
    const ok = await scrape(server.url, TOKEN);
    expect(ok.status).toBe(200);
    expect(ok.metrics!.types.has('graphql_operations_total')).toBe(true);
  });

  it('a GraphQL bearer token is not a metrics token', async () => {
    const owner = await server.user('OWNER');
    expect((await scrape(server.url, owner.token)).status).toBe(401);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the condition');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
