import { performance } from 'node:perf_hooks';
import type { Benchmark } from './harness/bench';
import { createStudio, generateSessionsBySql, tokensFor, type StudioSpec } from './harness/data';
import { gqlOk } from './harness/graphql';
import { resetStatementStats, startBenchPostgres, statementCount, withClient } from './harness/postgres';
import { startServerProcess, type ServerProcess } from './harness/server';
import { mb, ms, round } from './harness/stats';

/**
 * Generation: 10,000 ACTIVE weekly series (200 coaches, 10,000 members), default horizon
 * (6 weeks), through the generateSessions mutation on a fresh database: first run, then a
 * no-op second run. Baseline: the same rows (sessions + their first history rows) by one
 * plain INSERT ... SELECT into the same tables, with the same indexes and constraints, on
 * another fresh database holding the same seeded series.
 */
const STUDIO: StudioSpec = { owners: 1, coaches: 200, members: 10_000, series: 10_000 };
const HORIZON_WEEKS = 6; // the server's default GENERATION_HORIZON_WEEKS
const WEEK_MS = 7 * 86_400_000;

const GENERATE = `mutation { generateSessions { runId totalGenerated fromRecurringBookings markedCompleted skippedBlocked skippedConflicts durationMs } }`;

interface GenerationResult {
  generateSessions: { totalGenerated: number; fromRecurringBookings: number; skippedConflicts: number; skippedBlocked: number; durationMs: number };
}

export const generationBenchmark: Benchmark = {
  name: 'generation',
  title: 'Generation: 10,000 weekly series, 6-week horizon',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    let server: ServerProcess | undefined;
    try {
      // Baseline first, on its own fresh database with the same seeded series.
      const baselineUrl = await pg.createDatabase('bench_generation_sql');
      await createStudio(baselineUrl, STUDIO);
      const from = new Date();
      const sqlStarted = performance.now();
      const sqlRows = await generateSessionsBySql(baselineUrl, { from, to: new Date(from.getTime() + HORIZON_WEEKS * WEEK_MS), withHistory: true });
      const sqlMs = performance.now() - sqlStarted;
      const sqlSessions = await countSessions(baselineUrl);
      log(`baseline INSERT ... SELECT: ${sqlSessions} sessions (+ ${sqlRows} history rows) in ${ms(sqlMs)}`);

      const url = await pg.createDatabase('bench_generation');
      const studio = await createStudio(url, STUDIO);
      const [ownerToken] = await tokensFor(studio.owners);
      server = await startServerProcess(url, { env: { GENERATION_HORIZON_WEEKS: String(HORIZON_WEEKS) } });
      await gqlOk(server.url, '{ me { id } }', {}, ownerToken); // a warm server, as the nightly job finds it
      const idle = await server.stats();

      await resetStatementStats(url);
      const first = await timed(() => gqlOk<GenerationResult>(server!.url, GENERATE, {}, ownerToken));
      const afterFirst = await server.stats();
      const firstStatements = await statementCount(url);
      await resetStatementStats(url);
      const firstCounts = first.result.generateSessions;
      log(`first run: ${firstCounts.totalGenerated} sessions in ${ms(first.ms)} (server ${firstCounts.durationMs} ms), peak RSS ${mb(afterFirst.maxRss)} MB`);
      const second = await timed(() => gqlOk<GenerationResult>(server!.url, GENERATE, {}, ownerToken));
      const secondCounts = second.result.generateSessions;
      log(`second run: ${secondCounts.totalGenerated} sessions in ${ms(second.ms)} (server ${secondCounts.durationMs} ms)`);
      const afterSecond = await server.stats();
      const secondStatements = await statementCount(url);
      const sessions = await countSessions(url);
      const reminders = await withClient(url, async (client) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM session_reminders')).rows[0].n));
      // A session starting within a day of its creation gets no day-ahead reminder (it would be due before the booking).
      const remindable = await withClient(url, async (client) =>
        Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM training_sessions WHERE start_time - interval '1 day' > created_at`)).rows[0].n),
      );
      await server.stop();
      server = undefined;

      // The same run without reminders (the studio's default leads emptied): what reminders cost.
      const plainUrl = await pg.createDatabase('bench_generation_no_reminders');
      const plainStudio = await createStudio(plainUrl, STUDIO);
      const [plainOwnerToken] = await tokensFor(plainStudio.owners);
      server = await startServerProcess(plainUrl, { env: { GENERATION_HORIZON_WEEKS: String(HORIZON_WEEKS) } });
      await withClient(plainUrl, (client) => client.query(`UPDATE studio_settings SET reminder_lead_minutes = '{}'`));
      await gqlOk(server.url, '{ me { id } }', {}, plainOwnerToken);
      const plain = await timed(() => gqlOk<GenerationResult>(server!.url, GENERATE, {}, plainOwnerToken));
      const plainCounts = plain.result.generateSessions;
      log(`without reminders: ${plainCounts.totalGenerated} sessions in ${ms(plain.ms)} (server ${plainCounts.durationMs} ms)`);
      const reminderRatio = first.ms / plain.ms;

      const ratio = first.ms / sqlMs;
      return {
        rows: [
          {
            metric: 'First run (generateSessions mutation, HTTP round trip)',
            value: `${ms(first.ms)}: ${firstCounts.totalGenerated} sessions, ${round(firstCounts.totalGenerated / (first.ms / 1000), 0)} rows/s`,
            baseline: `${ms(sqlMs)}: ${sqlSessions} sessions by one INSERT ... SELECT`,
            ratio: `${round(ratio, 2)}x`,
            goal: '<= 3x baseline',
            met: ratio <= 3,
          },
          { metric: '... server-side durationMs of the run', value: ms(firstCounts.durationMs) },
          {
            metric: 'First run with reminders (studio default [1440]) vs the same run without (leads emptied)',
            value: `${ms(first.ms)}: ${firstCounts.totalGenerated} sessions + ${reminders} reminders`,
            baseline: `${ms(plain.ms)}: ${plainCounts.totalGenerated} sessions, no reminders`,
            ratio: `${round(reminderRatio, 2)}x`,
            goal: '<= 1.5x',
            met: reminderRatio <= 1.5 && reminders === remindable,
          },
          { metric: 'No-op second run', value: `${ms(second.ms)} (server ${ms(secondCounts.durationMs)}), ${secondCounts.totalGenerated} new`, goal: '< 1 s', met: second.ms < 1000 && secondCounts.totalGenerated === 0 },
          {
            metric: 'Server CPU time / SQL statements (incl. authentication), first run; no-op run',
            value: `${ms((afterFirst.cpuMicros - idle.cpuMicros) / 1000)} / ${firstStatements}; ${ms((afterSecond.cpuMicros - afterFirst.cpuMicros) / 1000)} / ${secondStatements}`,
          },
          { metric: 'Server RSS: idle before / peak (max RSS) after both runs', value: `${mb(idle.rss)} MB / ${mb(afterSecond.maxRss)} MB` },
          {
            metric: 'Rows: sessions in the database after both runs',
            value: String(sessions),
            baseline: String(sqlSessions),
            goal: 'same rows as the baseline, no conflicts',
            met: sessions === firstCounts.totalGenerated && Math.abs(sessions - sqlSessions) <= STUDIO.series / 100 && firstCounts.skippedConflicts === 0,
          },
        ],
        notes: [
          `Data: seeded studio, ${STUDIO.coaches} coaches, ${STUDIO.members} members, ${STUDIO.series} ACTIVE weekly series (Europe/Berlin, hourly slots Mon-Fri, no clashes), no sessions before the first run.`,
          'Both write sessions and one SCHEDULED history row each, into the migrated schema (exclusion constraints, unique (recurring_booking_id, occurrence_start), all indexes). The baseline starts a few seconds earlier, so an occurrence on the window edge can differ.',
          `First run counts: ${JSON.stringify(firstCounts)}.`,
          `Reminders: one per session starting more than a day after the run (${remindable}); sessions within the first day get none (they would be due before the booking). The run without reminders is on a third fresh database with the studio's default leads set to none; SQL statement counts include the outbox and reminder workers' polls while the run lasts.`,
        ],
      };
    } finally {
      await server?.stop();
      await pg.stop();
    }
  },
};

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - started };
}

function countSessions(url: string): Promise<number> {
  return withClient(url, async (client) => Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM training_sessions')).rows[0].n));
}
