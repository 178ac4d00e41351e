import type { Benchmark } from './harness/bench';
import { createStudio, generateSessionsBySql, tokensFor } from './harness/data';
import { gqlOk } from './harness/graphql';
import { load, type LoadResult } from './harness/load';
import { resetStatementStats, startBenchPostgres, statementCount } from './harness/postgres';
import { startBareApollo, startServerProcess, type ServerProcess } from './harness/server';
import { mb, ms, round, sleep } from './harness/stats';

/**
 * Query throughput: one coach's sessions page with coach, member, room and recurringBooking
 * of every node, as an owner, CONNECTIONS clients for SECONDS, against a bare Apollo Server
 * answering `{ __typename }` in the same run. Plus SQL statements per request for
 * first = 10, 50, 200 (counted in the server process and by pg_stat_statements).
 */
const CONNECTIONS = 64;
const SECONDS = 20;
const WARMUP_SECONDS = 3;
const SAMPLE_REQUESTS = 50;
const PAGE_SIZES = [10, 50, 200];
const WEEK_MS = 7 * 86_400_000;

export const SESSIONS_QUERY = `query Sessions($coachId: ID!, $first: Int!) {
  sessions(filter: { coachId: $coachId }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id startTime status
      coach { id name }
      member { id name }
      room { id name }
      recurringBooking { id startTime }
    } }
  }
}`;

interface SessionsPage {
  sessions: {
    totalCount: number;
    edges: { node: { coach: { id: string } | null; member: unknown; room: unknown; recurringBooking: unknown } }[];
  };
}

export const queryBenchmark: Benchmark = {
  name: 'query',
  title: 'Query throughput: `sessions(filter: {coachId}, first: 50)` with coach, member, room, recurringBooking',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    const servers: ServerProcess[] = [];
    try {
      const url = await pg.createDatabase('bench_query');
      const studio = await createStudio(url, { owners: 1, coaches: 200, members: 10_000, series: 10_000 });
      const now = new Date();
      const sessions = await generateSessionsBySql(url, { from: now, to: new Date(now.getTime() + 6 * WEEK_MS), withHistory: true });
      log(`studio: 200 coaches, 10,000 members and series, ${sessions} sessions`);
      const [ownerToken] = await tokensFor(studio.owners);
      const coachId = studio.coaches[0].id;

      const server = await startServerProcess(url);
      servers.push(server);
      const bare = await startBareApollo();
      servers.push(bare);

      const body = (first: number) => JSON.stringify({ query: SESSIONS_QUERY, variables: { coachId, first } });
      const page = await gqlOk<SessionsPage>(server.url, SESSIONS_QUERY, { coachId, first: 50 }, ownerToken);
      const nodes = page.sessions.edges.map((e) => e.node);
      if (nodes.length !== 50 || nodes.some((n) => n.coach?.id !== coachId || !n.member || !n.room || !n.recurringBooking)) {
        throw new Error(`unexpected page: ${JSON.stringify(page).slice(0, 500)}`);
      }
      log(`coach has ${page.sessions.totalCount} sessions`);

      log(`warm-up ${WARMUP_SECONDS} s each`);
      await load({ url: bare.url, body: JSON.stringify({ query: '{ __typename }' }), connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      await load({ url: server.url, body: body(50), token: ownerToken, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      await sleep(1000);

      // Statements per request: sequential requests, so nothing else runs on the server meanwhile.
      const perRequest: { first: number; client: number; server: number; cpuMs: number }[] = [];
      for (const first of PAGE_SIZES) {
        const run = () => gqlOk<SessionsPage>(server.url, SESSIONS_QUERY, { coachId, first }, ownerToken);
        for (let i = 0; i < 3; i += 1) await run(); // warm caches and pool connections
        const before = await server.stats();
        await resetStatementStats(url);
        for (let i = 0; i < SAMPLE_REQUESTS; i += 1) {
          const result = await run();
          if (result.sessions.edges.length !== Math.min(first, page.sessions.totalCount)) throw new Error(`first=${first}: ${result.sessions.edges.length} edges`);
        }
        const after = await server.stats();
        const client = (after.statements - before.statements) / SAMPLE_REQUESTS;
        const cpuMs = (after.cpuMicros - before.cpuMicros) / 1000 / SAMPLE_REQUESTS;
        const serverSide = (await statementCount(url)) / SAMPLE_REQUESTS;
        perRequest.push({ first, client, server: serverSide, cpuMs });
        log(`first=${first}: ${client} statements/request (pg_stat_statements: ${serverSide}), server CPU ${cpuMs.toFixed(2)} ms/request`);
      }
      const bareCpuMs = await cpuPerRequest(bare, () => gqlOk(bare.url, '{ __typename }'));

      log(`bare Apollo, ${CONNECTIONS} connections, ${SECONDS} s`);
      const bareBefore = await bare.stats();
      const baseline = await load({ url: bare.url, body: JSON.stringify({ query: '{ __typename }' }), connections: CONNECTIONS, seconds: SECONDS });
      await sleep(2000); // requests autocannon abandoned at the deadline finish (and are counted in CPU time)
      const bareLoadCpuMs = ((await bare.stats()).cpuMicros - bareBefore.cpuMicros) / 1000 / baseline.total;
      log(`sessions first=50, ${CONNECTIONS} connections, ${SECONDS} s`);
      const oursBefore = await server.stats();
      const ours = await load({ url: server.url, body: body(50), token: ownerToken, connections: CONNECTIONS, seconds: SECONDS });
      await sleep(2000);
      const oursLoadCpuMs = ((await server.stats()).cpuMicros - oursBefore.cpuMicros) / 1000 / ours.total;
      const stats = await server.stats();

      const ratio = ours.requestsPerSecond / baseline.requestsPerSecond;
      const constant = perRequest.every((p) => p.client === perRequest[0].client && p.server === perRequest[0].server);
      return {
        rows: [
          {
            metric: `Throughput, ${CONNECTIONS} connections, ${SECONDS} s`,
            value: `${round(ours.requestsPerSecond, 0)} req/s`,
            baseline: `${round(baseline.requestsPerSecond, 0)} req/s (bare Apollo \`{ __typename }\`)`,
            ratio: `${round(ratio * 100, 1)}%`,
            goal: '>= 30% of baseline',
            met: ratio >= 0.3,
          },
          { metric: 'Latency p50 / p99', value: latency(ours), baseline: latency(baseline) },
          { metric: 'Failed or unexpected responses', value: String(ours.failures), baseline: String(baseline.failures), goal: '0', met: ours.failures === 0 && baseline.failures === 0 },
          {
            metric: `SQL statements per request, first = ${PAGE_SIZES.join(' / ')}`,
            value: perRequest.map((p) => p.client).join(' / '),
            baseline: `pg_stat_statements: ${perRequest.map((p) => p.server).join(' / ')}`,
            goal: 'constant (no N+1)',
            met: constant,
          },
          {
            metric: 'Server CPU per request under that load (process CPU time / requests answered)',
            value: `${oursLoadCpuMs.toFixed(2)} ms`,
            baseline: `${bareLoadCpuMs.toFixed(2)} ms`,
            ratio: `${round((100 * bareLoadCpuMs) / oursLoadCpuMs, 1)}% (throughput ratio if the server had a core to itself)`,
          },
          {
            metric: `Server CPU per request, sequential, first = ${PAGE_SIZES.join(' / ')}`,
            value: perRequest.map((p) => `${p.cpuMs.toFixed(2)} ms`).join(' / '),
            baseline: `${bareCpuMs.toFixed(2)} ms (bare Apollo)`,
            ratio: `${round(perRequest[1].cpuMs / bareCpuMs, 1)}x at first = 50`,
          },
          { metric: 'Server RSS after the load (peak)', value: `${mb(stats.rss)} MB (${mb(stats.maxRss)} MB)` },
        ],
        notes: [
          `Data: seeded studio, 200 coaches, 10,000 members, 10,000 weekly series, ${sessions} sessions; the coach queried has ${page.sessions.totalCount}. Authenticated as an owner; every response was compared byte for byte with the first one.`,
          'Statements per request include authentication (the user row) and transaction control; counted by wrapping pg.Client#query in the server process and, independently, by pg_stat_statements.',
          'autocannon runs in the benchmark process, the server in its own process: on a 2-core machine they share the CPU, for ours and the baseline alike.',
        ],
      };
    } finally {
      await Promise.allSettled(servers.map((s) => s.stop()));
      await pg.stop();
    }
  },
};

/** Server CPU time (user + system) per request over SAMPLE_REQUESTS sequential requests: robust against a busy machine. */
async function cpuPerRequest(server: ServerProcess, request: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i += 1) await request();
  const before = await server.stats();
  for (let i = 0; i < SAMPLE_REQUESTS; i += 1) await request();
  return ((await server.stats()).cpuMicros - before.cpuMicros) / 1000 / SAMPLE_REQUESTS;
}

const latency = (r: LoadResult) => `${ms(r.p50)} / ${ms(r.p99)}`;
