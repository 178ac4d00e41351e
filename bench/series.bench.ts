import { performance } from 'node:perf_hooks';
import { addDays, dayOfWeekOf } from '../src/domain/civil-date';
import type { Benchmark } from './harness/bench';
import { createStudio, tokensFor } from './harness/data';
import { gql } from './harness/graphql';
import { resetStatementStats, startBenchPostgres, statementCount } from './harness/postgres';
import { startServerProcess } from './harness/server';
import { median, ms, round } from './harness/stats';

/**
 * Issue 14's goal: a change or a pause of a series with 52 future sessions takes under
 * 100 ms of server time, with a number of SQL statements that does not grow with the
 * number of sessions. Series of 13 future sessions (endDate 13 weeks out) are the
 * baseline; each operation runs on ROUNDS fresh series of each size, one at a time.
 */
const ROUNDS = 5;
const CREATE = `mutation($input: CreateRecurringBookingInput!) { createRecurringBooking(input: $input) { id startDate } }`;
const CHANGE = `mutation($input: ChangeRecurringBookingInput!) { changeRecurringBooking(input: $input) { id } }`;
const PAUSE = `mutation($input: PauseRecurringBookingInput!) { pauseRecurringBooking(input: $input) { id } }`;

interface Sample {
  ms: number;
  cpuMs: number;
  statements: number;
}

export const seriesBenchmark: Benchmark = {
  name: 'series',
  title: 'Series management: change and pause of a series with 52 future sessions',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    const srvHolder: { stop?: () => Promise<void> } = {};
    try {
      const url = await pg.createDatabase('bench_series');
      const studio = await createStudio(url, { owners: 1, coaches: 4 * ROUNDS, members: 4 * ROUNDS, series: 0 });
      const [ownerToken] = await tokensFor(studio.owners);
      const server = await startServerProcess(url, { env: { GENERATION_HORIZON_WEEKS: '52' } });
      srvHolder.stop = () => server.stop();
      const monday = addDays(studio.today, ((1 - dayOfWeekOf(studio.today) + 7) % 7) || 7);

      let next = 0;
      const series = async (weeks: number | null): Promise<{ id: string; startDate: string }> => {
        const i = next++;
        const result = await gql(server.url, CREATE, {
          input: { coachId: studio.coaches[i].id, memberId: studio.members[i].id, dayOfWeek: 1, startTime: '10:00', endTime: '11:00', startDate: monday, endDate: weeks === null ? null : addDays(monday, 7 * (weeks - 1)) },
        }, ownerToken);
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        return (result.data as { createRecurringBooking: { id: string; startDate: string } }).createRecurringBooking;
      };
      const measure = async (query: string, input: Record<string, unknown>): Promise<Sample> => {
        await resetStatementStats(url);
        const before = await server.stats();
        const t0 = performance.now();
        const result = await gql(server.url, query, { input }, ownerToken);
        const elapsed = performance.now() - t0;
        const after = await server.stats();
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        return { ms: elapsed, cpuMs: (after.cpuMicros - before.cpuMicros) / 1000, statements: await statementCount(url) };
      };
      const run = async (what: 'change' | 'pause', weeks: number | null): Promise<Sample[]> => {
        const samples: Sample[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const s = await series(weeks);
          samples.push(
            what === 'change'
              ? await measure(CHANGE, { recurringBookingId: s.id, effectiveFrom: s.startDate, startTime: '12:00', endTime: '13:00' })
              : await measure(PAUSE, { recurringBookingId: s.id, from: s.startDate, to: addDays(s.startDate, 365) }),
          );
        }
        log(`${what} of ${weeks ?? 52} sessions: median ${ms(median(samples.map((x) => x.ms)))}`);
        return samples;
      };
      const change52 = await run('change', null);
      const change13 = await run('change', 13);
      const pause52 = await run('pause', null);
      const pause13 = await run('pause', 13);
      const row = (label: string, big: Sample[], small: Sample[]) => {
        const wall = median(big.map((x) => x.ms));
        const stBig = median(big.map((x) => x.statements));
        const stSmall = median(small.map((x) => x.statements));
        return [
          { metric: `${label}, 52 future sessions: wall time (median of ${ROUNDS}) / server CPU`, value: `${ms(wall)} / ${round(median(big.map((x) => x.cpuMs)), 1)} ms`, baseline: `${ms(median(small.map((x) => x.ms)))} with 13 sessions`, goal: '< 100 ms', met: wall < 100 },
          { metric: `${label}: SQL statements, 52 vs 13 future sessions`, value: String(stBig), baseline: String(stSmall), goal: 'equal', met: stBig === stSmall },
        ];
      };
      return {
        rows: [...row('changeRecurringBooking', change52, change13), ...row('pauseRecurringBooking', pause52, pause13)],
        notes: [
          'Wall time is measured from the benchmark process (one request at a time, so it is the server time plus a loopback round trip); the change includes generating the new series\' sessions up to a 52-week horizon.',
          'Statements are counted by pg_stat_statements for the whole database during the request (the outbox worker\'s polls included).',
        ],
      };
    } finally {
      await srvHolder.stop?.();
      await pg.stop();
    }
  },
};
