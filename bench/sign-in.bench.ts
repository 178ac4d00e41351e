import { performance } from 'node:perf_hooks';
import { hashPassword, verifyPassword } from '../src/auth/passwords';
import type { Benchmark } from './harness/bench';
import { createStudio, tokensFor } from './harness/data';
import { gql } from './harness/graphql';
import { resetStatementStats, startBenchPostgres, statementCount, withClient } from './harness/postgres';
import { startServerProcess, type ServerProcess } from './harness/server';
import { median, ms, percentile, round } from './harness/stats';

/**
 * Sign-in cost (issue 11, "Performance"): signInWithPassword costs one KDF run (p50/p99
 * and the KDF's share of it); refreshSession and an authenticated request in SQL
 * statements; and 200 concurrent sign-ins must not starve other requests: a probe
 * client asks `{ me { id } }` one request after another during the burst, compared with
 * the same probe on an idle server.
 */
const PASSWORD = 'a benchmark password';
const SEQUENTIAL = 40;
const BURST = 200;
const PROBES = 100;

const SIGN_IN = 'mutation ($e: String!, $p: String!) { signInWithPassword(email: $e, password: $p) { accessToken refreshToken } }';
const REFRESH = 'mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }';
const ME = '{ me { id } }';

export const signInBenchmark: Benchmark = {
  name: 'sign-in',
  title: 'Sign-in: password KDF cost, refresh and auth statements, 200 concurrent sign-ins',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    let server: ServerProcess | undefined;
    try {
      const url = await pg.createDatabase('bench_sign_in');
      const studio = await createStudio(url, { owners: 1, coaches: 1, members: BURST + SEQUENTIAL, series: 0 });
      // One hash for everyone (hashing 240 passwords would take longer than the benchmark).
      const hash = await hashPassword(PASSWORD);
      await withClient(url, (client) => client.query('UPDATE users SET password_hash = $1', [hash]));
      server = await startServerProcess(url);
      const srv = server;
      const [probeToken] = await tokensFor(studio.owners);
      const timed = async <T>(work: () => Promise<T>) => {
        const t0 = performance.now();
        const result = await work();
        return { result, ms: performance.now() - t0 };
      };

      // Warm-up, then sequential sign-ins (each member once: successes are not rate limited anyway),
      // each followed by one KDF run alone in this process, so both see the same machine load.
      // Wall times on this shared VM swing; CPU time (main thread + libuv pool) is the steadier share.
      await gql(srv.url, SIGN_IN, { e: studio.members[0].email, p: PASSWORD });
      const sequential: number[] = [];
      const kdf: number[] = [];
      let kdfCpuMicros = 0;
      let serverCpuMicros = 0;
      let refreshToken = '';
      for (let i = 0; i < SEQUENTIAL; i++) {
        const serverBefore = (await srv.stats()).cpuMicros;
        const { result, ms: took } = await timed(() => gql<{ signInWithPassword: { refreshToken: string } }>(srv.url, SIGN_IN, { e: studio.members[BURST + i].email, p: PASSWORD }));
        serverCpuMicros += (await srv.stats()).cpuMicros - serverBefore;
        if (result.errors) throw new Error(`sign-in failed: ${JSON.stringify(result.errors)}`);
        refreshToken = result.data!.signInWithPassword.refreshToken;
        sequential.push(took);
        const cpuBefore = process.cpuUsage();
        kdf.push((await timed(() => verifyPassword(PASSWORD, hash))).ms);
        const cpu = process.cpuUsage(cpuBefore);
        kdfCpuMicros += cpu.user + cpu.system;
      }
      log(`sequential sign-ins p50 ${ms(median(sequential))}; KDF alone p50 ${ms(median(kdf))}`);

      // SQL statements: an authenticated request, and a refresh.
      await resetStatementStats(url);
      for (let i = 0; i < 50; i++) await gql(srv.url, ME, {}, probeToken);
      const perMe = (await statementCount(url)) / 50;
      await resetStatementStats(url);
      for (let i = 0; i < 50; i++) {
        const result = await gql<{ refreshSession: { refreshToken: string } }>(srv.url, REFRESH, { t: refreshToken });
        if (result.errors) throw new Error(`refresh failed: ${JSON.stringify(result.errors)}`);
        refreshToken = result.data!.refreshSession.refreshToken;
      }
      const perRefresh = (await statementCount(url)) / 50;

      // The probe on an idle server.
      const idle: number[] = [];
      for (let i = 0; i < PROBES; i++) idle.push((await timed(() => gql(srv.url, ME, {}, probeToken))).ms);

      // The burst, with the probe running beside it until the burst is over.
      const before = await srv.stats();
      const burstStarted = performance.now();
      let burstDone = false;
      const burst = Promise.all(studio.members.slice(0, BURST).map((member) => gql(srv.url, SIGN_IN, { e: member.email, p: PASSWORD }))).finally(() => (burstDone = true));
      const loaded: number[] = [];
      while (!burstDone) loaded.push((await timed(() => gql(srv.url, ME, {}, probeToken))).ms);
      const results = await burst;
      const burstMs = performance.now() - burstStarted;
      const after = await srv.stats();
      const failed = results.filter((r) => r.errors || !r.data);
      log(`burst of ${BURST} in ${ms(burstMs)}; probe p50/p99 ${ms(median(loaded))} / ${ms(percentile(loaded, 99))} over ${loaded.length} requests`);

      const kdfShare = kdfCpuMicros / serverCpuMicros;
      return {
        rows: [
          { metric: 'signInWithPassword p50 / p99 (sequential, one client)', value: `${ms(median(sequential))} / ${ms(percentile(sequential, 99))}` },
          {
            metric: "The KDF's share of a sign-in: CPU of one KDF run / server CPU per sign-in (wall p50s)",
            value: `${round(100 * kdfShare, 0)}%: ${ms(kdfCpuMicros / 1000 / SEQUENTIAL)} / ${ms(serverCpuMicros / 1000 / SEQUENTIAL)} (${ms(median(kdf))} / ${ms(median(sequential))})`,
            goal: 'one KDF run per sign-in',
          },
          { metric: 'SQL statements per authenticated `{ me { id } }` / per refreshSession', value: `${round(perMe, 1)} / ${round(perRefresh, 1)}`, baseline: '0.1: 2 per `{ me { id } }` (the user row, then me)', goal: 'auth adds no statement' , met: perMe <= 2 },
          {
            metric: `Probe \`{ me { id } }\` p50 / p99 during ${BURST} concurrent sign-ins`,
            value: `${ms(median(loaded))} / ${ms(percentile(loaded, 99))} (${loaded.length} probes)`,
            baseline: `${ms(median(idle))} / ${ms(percentile(idle, 99))} idle`,
            goal: 'not starved: p99 < 250 ms',
            met: percentile(loaded, 99) < 250,
          },
          { metric: `${BURST} concurrent sign-ins: wall time / failures / server CPU per sign-in`, value: `${ms(burstMs)} / ${failed.length} / ${ms((after.cpuMicros - before.cpuMicros) / 1000 / BURST)}`, goal: '0 failures', met: failed.length === 0 },
        ],
        notes: [
          'scrypt N=2^15, r=8, p=3 (32 MiB), at most UV_THREADPOOL_SIZE/2 = 2 at once; a request waiting for the KDF gives up its turn in the concurrency limit (whileWaiting), so other requests are not queued behind sign-ins.',
          'Server CPU counts the main thread and libuv\'s pool (process.cpuUsage).',
          ...(failed.length ? [`First failure: ${JSON.stringify(failed[0].errors ?? failed[0].status)}`] : []),
        ],
      };
    } finally {
      await server?.stop();
      await pg.stop();
    }
  },
};
