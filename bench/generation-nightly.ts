/**
 * Generation in steady state, phase by phase (complements generation.bench.ts, which
 * measures the first run and a no-op run through HTTP against one INSERT ... SELECT):
 * 10,000 ACTIVE series with their six weeks generated, then the run a night later finds,
 * simulated by reaching one week further (one new occurrence per series, 60,000 existing
 * sessions), then a run with nothing to do. The service runs in this process, so the
 * per-step timings of its log line are available.
 *
 *   npm run bench:build && node bench/.tmp/build/bench/generation-nightly.js
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { connect } from '../src/db/prisma';
import { GenerationService, type GenerationResult } from '../src/services/generation.service';
import { createStudio } from './harness/data';
import { startBenchPostgres } from './harness/postgres';
import { BENCH_TIMEZONE } from './harness/server';
import { Metrics } from '../src/metrics/metrics';
import { Sealer } from '../src/auth/sealing';

const STUDIO = { owners: 1, coaches: 200, members: 10_000, series: 10_000 };

async function main(): Promise<void> {
  const pg = await startBenchPostgres();
  try {
    const url = await pg.createDatabase('bench_generation_nightly');
    await createStudio(url, STUDIO);
    const db = connect(url);
    // The service's own log line carries the per-step timings.
    const lines: { msg?: string; phases?: Record<string, number> }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const events = { sessionsChanged: () => undefined, generationRunFinished: () => undefined, notificationsCreated: () => undefined, signedOutEverywhere: () => undefined, classesChanged: () => undefined };
    const service = (weeks: number) =>
      new GenerationService({ db, config: loadConfig({ DATABASE_URL: url, STUDIO_TIMEZONE: BENCH_TIMEZONE, GENERATION_HORIZON_WEEKS: String(weeks) }), events, log, metrics: new Metrics({ defaultMetrics: false }), sealer: new Sealer('bench-sealing-secret-0123456789abcdef'), now: () => new Date() });
    const runs: { label: string; result: GenerationResult; wallMs: number; phases: Record<string, number> }[] = [];
    for (const [label, weeks] of [['first run (6 weeks)', 6], ['a night later (7 weeks)', 7], ['nothing to do', 7]] as const) {
      const started = performance.now();
      const result = await service(weeks).run('CRON');
      const phases = lines.filter((line) => line.msg === 'generation run finished').at(-1)?.phases ?? {};
      runs.push({ label, result, wallMs: performance.now() - started, phases });
    }
    await db.close();
    console.log(`load average at end ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
    for (const { label, result, wallMs, phases } of runs) {
      const rate = result.totalGenerated > 0 ? `, ${Math.round(result.totalGenerated / (wallMs / 1000))} rows/s` : '';
      const steps = Object.entries(phases).map(([step, stepMs]) => `${step} ${stepMs}`).join(', ');
      console.log(`${label}: ${result.totalGenerated} new in ${Math.round(wallMs)} ms${rate}; skipped ${result.skippedConflicts + result.skippedBlocked}; ms per step: ${steps}`);
    }
  } finally {
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
