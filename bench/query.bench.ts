import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../src/project-root';
import type { Benchmark } from './harness/bench';
import { createStudio, generateSessionsBySql, tokensFor } from './harness/data';
import { gqlOk } from './harness/graphql';
import { load, type LoadResult } from './harness/load';
import { resetStatementStats, startBenchPostgres, statementCount } from './harness/postgres';
import { startBareApollo, startServerProcess, type ServerProcess } from './harness/server';
import { mb, ms, round, sleep } from './harness/stats';

/**
 * Query throughput: one coach's sessions page with coach, member, room and recurringBooking
 * of every node, as an owner, CONNECTIONS clients for SECONDS each, against two baselines in
 * the same run:
 *   - a bare Apollo Server answering `{ __typename }` (the baseline: HTTP + Apollo);
 *   - a bare Apollo Server with our schema answering the SAME query with the SAME bytes from
 *     memory (graphql-js default resolvers): the cost of the response shape itself.
 * Plus SQL statements per request for first = 10, 50, 200 (counted in the server process
 * and by pg_stat_statements) and server CPU time per request.
 */
const CONNECTIONS = 64;
const SECONDS = 20;
const WARMUP_SECONDS = 3;
const SAMPLE_REQUESTS = 50;
const PAGE_SIZES = [10, 50, 200];
const WEEK_MS = 7 * 86_400_000;
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

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

interface Measured {
  load: LoadResult;
  /** Server process CPU time per answered request during the load. */
  cpuMs: number;
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
      const body = JSON.stringify({ query: SESSIONS_QUERY, variables: { coachId, first: 50 } });

      const server = await startServerProcess(url);
      servers.push(server);
      const page = await gqlOk<SessionsPage>(server.url, SESSIONS_QUERY, { coachId, first: 50 }, ownerToken);
      const nodes = page.sessions.edges.map((e) => e.node);
      if (nodes.length !== 50 || nodes.some((n) => n.coach?.id !== coachId || !n.member || !n.room || !n.recurringBooking)) {
        throw new Error(`unexpected page: ${JSON.stringify(page).slice(0, 500)}`);
      }
      log(`coach has ${page.sessions.totalCount} sessions`);

      const fixture = path.join(projectRoot(), 'bench/.tmp/query-fixture.json');
      await mkdir(path.dirname(fixture), { recursive: true });
      await writeFile(fixture, JSON.stringify({ sdl: await readFile(path.join(projectRoot(), 'schema.graphql'), 'utf8'), data: page }));
      const bare = await startBareApollo();
      servers.push(bare);
      const shape = await startBareApollo(fixture);
      servers.push(shape);
      const sameBytes = JSON.stringify(await gqlOk(shape.url, SESSIONS_QUERY, { coachId, first: 50 })) === JSON.stringify(page);
      if (!sameBytes) throw new Error('the in-memory baseline does not answer with the same data');

      log(`warm-up ${WARMUP_SECONDS} s each`);
      await load({ url: bare.url, body: TYPENAME, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      await load({ url: shape.url, body, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      await load({ url: server.url, body, token: ownerToken, connections: CONNECTIONS, seconds: WARMUP_SECONDS });
      await sleep(1000);

      // Statements and CPU per request: sequential requests, so nothing else runs on the server meanwhile.
      const perRequest: { first: number; client: number; server: number; cpuMs: number }[] = [];
      for (const first of PAGE_SIZES) {
        const run = () => gqlOk<SessionsPage>(server.url, SESSIONS_QUERY, { coachId, first }, ownerToken);
        for (let i = 0; i < 3; i += 1) await run();
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

      const measure = async (name: string, target: ServerProcess, requestBody: string, token?: string): Promise<Measured> => {
        log(`${name}: ${CONNECTIONS} connections, ${SECONDS} s`);
        const before = await target.stats();
        const result = await load({ url: target.url, body: requestBody, token, connections: CONNECTIONS, seconds: SECONDS });
        await sleep(2000); // requests autocannon abandoned at the deadline finish (and count in CPU time)
        const cpuMs = ((await target.stats()).cpuMicros - before.cpuMicros) / 1000 / result.total;
        log(`${name}: ${round(result.requestsPerSecond, 0)} req/s, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, server CPU ${cpuMs.toFixed(2)} ms/request`);
        return { load: result, cpuMs };
      };
      const typename = await measure('bare Apollo { __typename }', bare, TYPENAME);
      const inMemory = await measure('bare Apollo, same query and response from memory', shape, body);
      const ours = await measure('ours, sessions first=50', server, body, ownerToken);
      const stats = await server.stats();

      const rps = (m: Measured) => `${round(m.load.requestsPerSecond, 0)} req/s`;
      const pct = (a: number, b: number) => `${round((100 * a) / b, 1)}%`;
      const ratio = ours.load.requestsPerSecond / typename.load.requestsPerSecond;
      const constant = perRequest.every((p) => p.client === perRequest[0].client && p.server === perRequest[0].server);
      return {
        rows: [
          {
            metric: `Throughput, ${CONNECTIONS} connections, ${SECONDS} s`,
            value: rps(ours),
            baseline: `${rps(typename)} (bare Apollo \`{ __typename }\`)`,
            ratio: pct(ours.load.requestsPerSecond, typename.load.requestsPerSecond),
            goal: '>= 30% of baseline',
            met: ratio >= 0.3,
          },
          {
            metric: '... the same query and response bytes from memory (bare Apollo, our schema, default resolvers)',
            value: rps(inMemory),
            baseline: rps(typename),
            ratio: `${pct(inMemory.load.requestsPerSecond, typename.load.requestsPerSecond)}; ours = ${pct(ours.load.requestsPerSecond, inMemory.load.requestsPerSecond)} of it`,
          },
          { metric: 'Latency p50 / p99', value: latency(ours.load), baseline: `${latency(typename.load)} (in memory: ${latency(inMemory.load)})` },
          {
            metric: 'Server CPU per request under that load (process CPU time / requests answered)',
            value: `${ours.cpuMs.toFixed(2)} ms`,
            baseline: `${typename.cpuMs.toFixed(2)} ms (in memory: ${inMemory.cpuMs.toFixed(2)} ms)`,
            ratio: `${pct(typename.cpuMs, ours.cpuMs)}: the throughput ratio if the server had a core to itself`,
          },
          {
            metric: 'Failed or unexpected responses',
            value: String(ours.load.failures),
            baseline: `${typename.load.failures} / ${inMemory.load.failures}`,
            goal: '0',
            met: ours.load.failures + typename.load.failures + inMemory.load.failures === 0,
          },
          {
            metric: `SQL statements per request, first = ${PAGE_SIZES.join(' / ')}`,
            value: perRequest.map((p) => p.client).join(' / '),
            baseline: `pg_stat_statements: ${perRequest.map((p) => p.server).join(' / ')}`,
            goal: 'constant (no N+1)',
            met: constant,
          },
          { metric: `Server CPU per request, sequential, first = ${PAGE_SIZES.join(' / ')}`, value: perRequest.map((p) => `${p.cpuMs.toFixed(2)} ms`).join(' / ') },
          { metric: 'Server RSS after the load (peak)', value: `${mb(stats.rss)} MB (${mb(stats.maxRss)} MB)` },
        ],
        notes: [
          `Data: seeded studio, 200 coaches, 10,000 members, 10,000 weekly series, ${sessions} sessions; the coach queried has ${page.sessions.totalCount}. Authenticated as an owner; every response was compared byte for byte with the first one.`,
          'Statements per request include authentication (the user row); counted by wrapping pg.Client#query in the server process and, independently, by pg_stat_statements.',
          'autocannon runs in the benchmark process, each server in its own process: on a 2-core machine they share the CPU with PostgreSQL, for ours and the baselines alike.',
        ],
      };
    } finally {
      await Promise.allSettled(servers.map((s) => s.stop()));
      await pg.stop();
    }
  },
};

const latency = (r: LoadResult) => `${ms(r.p50)} / ${ms(r.p99)}`;
