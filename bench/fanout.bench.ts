import { performance } from 'node:perf_hooks';
import type { Client } from 'graphql-ws';
import type { Benchmark } from './harness/bench';
import { createStudio, generateSessionsBySql, tokensFor } from './harness/data';
import { gqlOk } from './harness/graphql';
import { resetStatementStats, startBenchPostgres, statementCount, withClient } from './harness/postgres';
import { startServerProcess, type ServerProcess } from './harness/server';
import { subscriber } from './harness/subscriber';
import { mb, ms, percentile, round, sleep } from './harness/stats';

/**
 * Subscription fan-out: CLIENTS graphql-ws clients (each an owner) subscribed to
 * sessionChanged; one status change (cancelSession over HTTP) at a time; the time from the
 * mutation's HTTP response to the LAST client receiving the event, over CHANGES changes.
 * Once with every client on one instance, once split over two instances on one database
 * (the second instance hears of the change through LISTEN/NOTIFY); then once more on one
 * instance with a selection of relations and history, whose cost must not grow per subscriber.
 * Baseline: the same mutation's own round trip (the write itself), measured in the run.
 */
const CLIENTS = 1_000;
const CHANGES = 20;
const CONNECT_BATCH = 50;
const DELIVERY_TIMEOUT_MS = 30_000;

const SUBSCRIPTION = `subscription { sessionChanged { kind previousStatus at session { id status } } }`;
/** A dashboard's richer selection: relations and history, which the relay does not all preload. */
const SUBSCRIPTION_WITH_RELATIONS = `subscription { sessionChanged { kind at session { id status coach { name } member { name } room { name } recurringBooking { id dayOfWeek startTime } history { from to at } } } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelSession(id: $id, reason: "bench") { id status } }`;

interface Event {
  sessionChanged: { kind: string; session: { id: string; status: string } };
}

/** Every client's arrival time (performance.now) per session id. */
class Receipts {
  private readonly bySession = new Map<string, number[]>();
  private readonly waiters = new Map<string, { count: number; resolve: () => void }>();

  add(sessionId: string): void {
    const list = this.bySession.get(sessionId) ?? [];
    list.push(performance.now());
    this.bySession.set(sessionId, list);
    const waiter = this.waiters.get(sessionId);
    if (waiter && list.length >= waiter.count) waiter.resolve();
  }

  /** Resolves with the arrival times once `count` clients have the event for `sessionId`. */
  async all(sessionId: string, count: number): Promise<number[]> {
    const have = this.bySession.get(sessionId)?.length ?? 0;
    if (have < count) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.set(sessionId, { count, resolve })),
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`only ${this.bySession.get(sessionId)?.length ?? 0} of ${count} clients got the change of ${sessionId} within ${DELIVERY_TIMEOUT_MS} ms`)), DELIVERY_TIMEOUT_MS);
        }),
      ]).finally(() => {
        clearTimeout(timer);
        this.waiters.delete(sessionId);
      });
    }
    return this.bySession.get(sessionId) ?? [];
  }
}

interface Phase {
  last: number[];
  median: number[];
  mutation: number[];
  statementsPerChange: number;
}

export const fanoutBenchmark: Benchmark = {
  name: 'fanout',
  title: 'Subscription fan-out: 1,000 graphql-ws clients, one status change',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    const servers: ServerProcess[] = [];
    let clients: Client[] = [];
    try {
      const url = await pg.createDatabase('bench_fanout');
      const studio = await createStudio(url, { owners: CLIENTS, coaches: 4, members: 100, series: 100 });
      const now = new Date();
      await generateSessionsBySql(url, { from: now, to: new Date(now.getTime() + 6 * 7 * 86_400_000), withHistory: true });
      const sessionIds = await withClient(url, async (c) =>
        (await c.query<{ id: string }>(`SELECT id FROM training_sessions WHERE status = 'SCHEDULED' AND start_time > now() + interval '1 day' ORDER BY start_time, id LIMIT $1`, [3 * (CHANGES + 1)])).rows.map((r) => r.id),
      );
      if (sessionIds.length < 3 * (CHANGES + 1)) throw new Error('not enough sessions to change');
      const tokens = await tokensFor(studio.owners);
      const receipts = new Receipts();

      const a = await startServerProcess(url);
      servers.push(a);

      const connect = async (targets: { server: ServerProcess; token: string }[], query = SUBSCRIPTION) => {
        const connected: Client[] = [];
        for (let i = 0; i < targets.length; i += CONNECT_BATCH) {
          connected.push(...(await Promise.all(targets.slice(i, i + CONNECT_BATCH).map((t) => subscribe(t.server, t.token, receipts, query)))));
        }
        await sleep(1000); // let the server register the last subscriptions before the warm-up change
        return connected;
      };

      // Phase 1: every client on one instance.
      log(`connecting ${CLIENTS} clients to one instance`);
      clients = await connect(tokens.map((token) => ({ server: a, token })));
      const one = await measure(a, url, sessionIds.slice(0, CHANGES + 1), tokens[0], receipts, log);
      const rssOne = await a.stats();
      log(`one instance: last client p50 ${ms(percentile(one.last, 50))}, p99 ${ms(percentile(one.last, 99))}; RSS ${mb(rssOne.rss)} MB`);
      await Promise.all(clients.map((c) => c.dispose()));
      clients = [];
      await sleep(500);

      // Phase 2: half the clients on a second instance.
      const b = await startServerProcess(url);
      servers.push(b);
      log(`connecting ${CLIENTS / 2} clients to each of two instances`);
      clients = await connect(tokens.map((token, i) => ({ server: i % 2 === 0 ? a : b, token })));
      const two = await measure(a, url, sessionIds.slice(CHANGES + 1, 2 * (CHANGES + 1)), tokens[0], receipts, log);
      log(`two instances: last client p50 ${ms(percentile(two.last, 50))}, p99 ${ms(percentile(two.last, 99))}`);
      const [rssA, rssB] = [await a.stats(), await b.stats()];
      await Promise.all(clients.map((c) => c.dispose()));
      clients = [];
      await b.stop();
      await sleep(500);

      // Phase 3: one instance again, every client selecting relations and history.
      log(`connecting ${CLIENTS} clients to one instance, selecting relations and history`);
      clients = await connect(tokens.map((token) => ({ server: a, token })), SUBSCRIPTION_WITH_RELATIONS);
      const rich = await measure(a, url, sessionIds.slice(2 * (CHANGES + 1)), tokens[0], receipts, log);
      log(`relations and history: last client p50 ${ms(percentile(rich.last, 50))}, p99 ${ms(percentile(rich.last, 99))}`);

      const p99One = percentile(one.last, 99);
      const p99Two = percentile(two.last, 99);
      return {
        rows: [
          {
            metric: `One instance: mutation response to last of ${CLIENTS} clients, p50 / p99 over ${CHANGES} changes`,
            value: `${ms(percentile(one.last, 50))} / ${ms(p99One)}`,
            baseline: `mutation round trip ${ms(percentile(one.mutation, 50))} / ${ms(percentile(one.mutation, 99))}`,
            goal: 'p99 < 100 ms',
            met: p99One < 100,
          },
          { metric: '... median client, p50 / p99', value: `${ms(percentile(one.median, 50))} / ${ms(percentile(one.median, 99))}` },
          {
            metric: `Two instances (LISTEN/NOTIFY), ${CLIENTS / 2} clients each: last client p50 / p99`,
            value: `${ms(percentile(two.last, 50))} / ${ms(p99Two)}`,
            baseline: `mutation round trip ${ms(percentile(two.mutation, 50))} / ${ms(percentile(two.mutation, 99))}`,
            goal: 'p99 < 200 ms',
            met: p99Two < 200,
          },
          { metric: '... median client, p50 / p99', value: `${ms(percentile(two.median, 50))} / ${ms(percentile(two.median, 99))}` },
          { metric: `Server RSS with ${CLIENTS} subscribed connections (peak)`, value: `${mb(rssOne.rss)} MB (${mb(rssOne.maxRss)} MB)`, baseline: `two instances: ${mb(rssA.rss)} + ${mb(rssB.rss)} MB` },
          { metric: 'SQL statements per change (mutation + delivery to every client), one / two instances', value: `${round(one.statementsPerChange, 1)} / ${round(two.statementsPerChange, 1)}` },
          {
            metric: `One instance, every client selecting relations and history: last client p50 / p99; SQL statements per change`,
            value: `${ms(percentile(rich.last, 50))} / ${ms(percentile(rich.last, 99))}; ${round(rich.statementsPerChange, 1)}`,
            baseline: `${ms(percentile(one.last, 50))} / ${ms(percentile(one.last, 99))}; ${round(one.statementsPerChange, 1)} (the plain selection)`,
            goal: 'statements independent of the number of clients',
            met: rich.statementsPerChange < one.statementsPerChange + 10,
          },
        ],
        notes: [
          `Clients run in the benchmark process (graphql-ws client over ws), each authenticated as its own owner, subscribed to \`${SUBSCRIPTION}\` (the last phase: \`${SUBSCRIPTION_WITH_RELATIONS}\`); the mutation is \`cancelSession\` on instance 1, one change at a time, the next after every client had the last.`,
          'Time starts when the mutation\'s HTTP response has arrived and ends when the last client\'s message has been parsed; a warm-up change precedes each phase.',
        ],
      };
    } finally {
      await Promise.allSettled(clients.map((c) => c.dispose()));
      await Promise.allSettled(servers.map((s) => s.stop()));
      await pg.stop();
    }
  },
};

function subscribe(server: ServerProcess, token: string, receipts: Receipts, query: string): Promise<Client> {
  return subscriber<Event>(server, token, query, (data) => {
    const id = data.sessionChanged.session.id;
    if (id) receipts.add(id);
  });
}

/** A warm-up change (also proves every subscription is registered), then CHANGES measured ones. */
async function measure(server: ServerProcess, url: string, ids: string[], token: string, receipts: Receipts, log: (m: string) => void): Promise<Phase> {
  const change = async (id: string) => {
    const t0 = performance.now();
    await gqlOk(server.url, CANCEL, { id }, token);
    const responded = performance.now();
    const arrivals = await receipts.all(id, CLIENTS);
    const delays = arrivals.map((t) => t - responded);
    return { last: Math.max(...delays), median: percentile(delays, 50), mutation: responded - t0 };
  };
  const warm = await change(ids[0]);
  log(`warm-up change reached all ${CLIENTS} clients, the last ${ms(warm.last)} after the response`);
  await sleep(200);
  const phase: Phase = { last: [], median: [], mutation: [], statementsPerChange: 0 };
  await resetStatementStats(url);
  for (const id of ids.slice(1)) {
    const r = await change(id);
    phase.last.push(r.last);
    phase.median.push(r.median);
    phase.mutation.push(r.mutation);
    await sleep(100);
  }
  phase.statementsPerChange = (await statementCount(url)) / (ids.length - 1);
  return phase;
}
