/**
 * npm run bench [-- name ...]: runs the benchmarks (all, or the named ones) one after
 * another, each on its own throwaway PostgreSQL and server processes, and writes each
 * result into bench/RESULTS.md (replacing that benchmark's table) and bench/results.json.
 */
import os from 'node:os';
import { embeddedPostgresVersion, type Benchmark } from './harness/bench';
import { describeMachine } from './harness/machine';
import { writeResult } from './harness/results';
import { appBenchmark } from './app.bench';
import { boardBenchmark } from './board.bench';
import { bookingBenchmark } from './booking.bench';
import { classesBenchmark } from './classes.bench';
import { fanoutBenchmark } from './fanout.bench';
import { generationBenchmark } from './generation.bench';
import { integrationsBenchmark } from './integrations.bench';
import { seriesBenchmark } from './series.bench';
import { queryBenchmark } from './query.bench';
import { remindersBenchmark } from './reminders.bench';
import { signInBenchmark } from './sign-in.bench';
import { startupBenchmark } from './startup.bench';

const BENCHMARKS: Benchmark[] = [startupBenchmark, queryBenchmark, generationBenchmark, fanoutBenchmark, bookingBenchmark, integrationsBenchmark, remindersBenchmark, signInBenchmark, seriesBenchmark, boardBenchmark, classesBenchmark, appBenchmark];

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const selected = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const postgres = await embeddedPostgresVersion();
  let failed = false;
  for (const bench of selected) {
    const machine = describeMachine(postgres);
    const log = (message: string) => console.log(`[${bench.name}] ${message}`);
    log(`start (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    const started = Date.now();
    try {
      const { rows, notes } = await bench.run(log);
      const seconds = (Date.now() - started) / 1000;
      await writeResult({ name: bench.name, title: bench.title, ranAt: new Date().toISOString(), seconds, machine, rows, notes });
      for (const row of rows) {
        const extra = [row.baseline && `baseline ${row.baseline}`, row.ratio && `ratio ${row.ratio}`, row.goal && `goal ${row.goal}${row.met === false ? ' MISSED' : ''}`].filter(Boolean).join(', ');
        log(`${row.metric}: ${row.value}${extra ? ` (${extra})` : ''}`);
      }
      log(`done in ${seconds.toFixed(0)} s`);
    } catch (error) {
      failed = true;
      console.error(`[${bench.name}] failed:`, error);
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
