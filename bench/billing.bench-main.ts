/**
 * Billing costs (issue 13), in one run so the ratios compare like with like:
 * - the nightly sweep completing 10,000 sessions, once on sessions without a price (no
 *   charges: the sweep as before billing) and once on priced sessions (10,000 SESSION
 *   lines, credit packs for a tenth of the members, CHARGE_CREATED notifications and
 *   emails), with the statements the priced sweep's ledger ran;
 * - a year's statement of a member with 500 charges: the SQL statements it takes;
 * - the CSV export of 100,000 charges through HTTP: peak RSS of the server process.
 *
 *   npm run bench:build && node --expose-gc bench/.tmp/build/bench/billing.bench-main.js
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { Sealer } from '../src/auth/sealing';
import { loadConfig } from '../src/config';
import { connect } from '../src/db/prisma';
import { Metrics } from '../src/metrics/metrics';
import { BillingService } from '../src/services/billing.service';
import { GenerationService } from '../src/services/generation.service';
import { createStudio } from './harness/data';
import { arrangePastSessions } from './harness/past-sessions';
import { resetStatementStats, slowestStatements, startBenchPostgres, statementCount, withClient } from './harness/postgres';
import { BENCH_TIMEZONE } from './harness/server';
import { median } from './harness/stats';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Authenticator } from '../src/auth/authenticate';
import { TokenIssuer } from '../src/auth/tokens';
import { chargesExportRoute } from '../src/http/charges-export.route';
import { createChargeNoticesChannel } from '../src/billing/charge-notices.channel';
import type { Config } from '../src/config';
import type { Db } from '../src/db/prisma';
import type { Logger } from '../src/logger';
import type { OutboxRow } from '../src/outbox/channel';

// BENCH_SESSIONS: how many past sessions each sweep completes (one per member), to show the cost is linear.
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const STUDIO = { owners: 1, coaches: 200, members: Math.max(10_000, SESSIONS), series: 0 };

async function sweep(url: string): Promise<{ ms: number; completed: number; statements: number; phases: string; notices: { rows: number; notifications: number; ms: number } }> {
  const db = connect(url);
  // The service's own log line carries the per-step timings.
  const lines: { msg?: string; phases?: Record<string, number> }[] = [];
  const events = { sessionsChanged: () => undefined, generationRunFinished: () => undefined, notificationsCreated: () => undefined, signedOutEverywhere: () => undefined, classesChanged: () => undefined };
  const config = loadConfig({ DATABASE_URL: url, STUDIO_TIMEZONE: BENCH_TIMEZONE });
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const service = new GenerationService({
    db,
    config,
    events,
    log,
    metrics: new Metrics({ defaultMetrics: false }),
    sealer: new Sealer('bench-sealing-secret-0123456789abcdef'),
    now: () => new Date(),
  });
  await resetStatementStats(url);
  const started = performance.now();
  const result = await service.run('CRON');
  const ms = performance.now() - started;
  const statements = await statementCount(url);
  if (process.env.BENCH_STATEMENT_TIMES === '1') console.log(`slowest statements:\n${(await slowestStatements(url)).join('\n')}`);
  const notices = await writeChargeNotices(db, config, log);
  await db.close();
  const phases = Object.entries(lines.filter((line) => line.msg === 'generation run finished').at(-1)?.phases ?? {}).map(([step, stepMs]) => `${step} ${stepMs}`).join(', ');
  return { ms, completed: result.markedCompleted, statements, phases, notices };
}

/**
 * What the sweep left to the outbox (CHARGE_NOTICES rows): written here the way the
 * server's worker does after commit, timed, so the work moved out of the sweep is measured too.
 */
async function writeChargeNotices(db: Db, config: Config, log: Logger): Promise<{ rows: number; notifications: number; ms: number }> {
  const channel = createChargeNoticesChannel({ db, config, events: { notificationsCreated: () => undefined }, log, now: () => new Date(), retryDelaysMs: [] });
  const { rows } = await db.pool.query<{ payload: unknown }>(`SELECT payload FROM outbox_messages WHERE channel = 'CHARGE_NOTICES'`);
  const started = performance.now();
  for (const row of rows) {
    const outcome = await channel.deliver(row.payload, {} as OutboxRow);
    if (outcome.status !== 'SENT') throw new Error(`charge notices not written: ${JSON.stringify(outcome)}`);
  }
  const ms = performance.now() - started;
  const [{ n }] = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'CHARGE_CREATED'`)).rows;
  return { rows: rows.length, notifications: n, ms };
}

async function statementQueries(url: string): Promise<{ statements: number; lines: number; ms: number }> {
  const db = connect(url);
  const config = loadConfig({ DATABASE_URL: url, STUDIO_TIMEZONE: BENCH_TIMEZONE });
  const events = { sessionsChanged: () => undefined, generationRunFinished: () => undefined, notificationsCreated: () => undefined, signedOutEverywhere: () => undefined, classesChanged: () => undefined };
  const billing = new BillingService({ db, config, events, log: pino({ level: 'silent' }), metrics: new Metrics({ defaultMetrics: false }), sealer: new Sealer('bench-sealing-secret-0123456789abcdef'), now: () => new Date() });
  const [member] = await withClient(url, async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT id::text FROM users WHERE role = 'MEMBER' ORDER BY id LIMIT 1`);
    await client.query(
      `INSERT INTO charges (member_id, kind, amount_cents, currency, description, created_at)
       SELECT $1, 'ADJUSTMENT', 100 + g, 'EUR', 'Line ' || g, now() - g * interval '17 hours' FROM generate_series(1, 500) g`,
      [rows[0].id],
    );
    return rows;
  });
  const year = (d: Date) => d.toISOString().slice(0, 10);
  await resetStatementStats(url);
  const started = performance.now();
  const statement = await billing.statement({ id: member.id, role: 'MEMBER' }, null, year(new Date(Date.now() - 365 * 86_400_000)), year(new Date()));
  const ms = performance.now() - started;
  const statements = await statementCount(url);
  await db.close();
  return { statements, lines: statement.charges.length, ms };
}

/** 100,000 charges exported through the route (in this process): peak RSS while streaming vs before. */
async function csvExport(url: string): Promise<{ rows: number; bytes: number; ms: number; rssBeforeMb: number; rssPeakMb: number }> {
  const owner = await withClient(url, async (client) => {
    await client.query(
      `INSERT INTO charges (member_id, kind, amount_cents, currency, description, created_at)
       SELECT m.id, 'ADJUSTMENT', 100 + g, 'EUR', 'Export line ' || g || ', "quoted"', now() - (g % 300) * interval '1 hour'
       FROM generate_series(1, 100000) g JOIN LATERAL (SELECT id FROM users WHERE role = 'MEMBER' ORDER BY id OFFSET (g % 1000) LIMIT 1) m ON true`,
    );
    return (await client.query<{ id: string }>(`SELECT id::text FROM users WHERE role = 'OWNER' LIMIT 1`)).rows[0].id;
  });
  const db = connect(url);
  const tokens = new TokenIssuer('bench-jwt-secret-that-is-long-enough-0123456789', '1h');
  const app = express().use(chargesExportRoute({ pool: db.pool, authenticator: new Authenticator(tokens, db.pool), studioTimezone: BENCH_TIMEZONE, log: pino({ level: 'silent' }) }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const from = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/exports/charges.csv?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${await tokens.sign(owner)}` } });
  let bytes = 0;
  let newlines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const b of chunk) if (b === 10) newlines++;
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  server.close();
  await db.close();
  return { rows: newlines - 1, bytes, ms, rssBeforeMb: rssBefore / 2 ** 20, rssPeakMb: peak / 2 ** 20 };
}

/**
 * Sweep pairs (without, then with billing) on fresh databases: the ratio is the median of the
 * pairs'. A first pair warms the process up (its JIT and Prisma's caches) and is not counted:
 * measured cold, the first sweep looked 30-50% slower than the same sweep warm.
 */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);

async function main(): Promise<void> {
  const pg = await startBenchPostgres({ statementStats: true });
  try {
    const pairs: { free: Awaited<ReturnType<typeof sweep>>; priced: Awaited<ReturnType<typeof sweep>> }[] = [];
    for (let pair = -1; pair < PAIRS; pair++) {
      const run = async (priced: boolean) => {
        const name = `bench_billing_${priced ? "priced" : "free"}_${pair + 1}`;
        const url = await pg.createDatabase(name);
        await createStudio(url, STUDIO);
        await arrangePastSessions(url, { sessions: SESSIONS, priced });
        // Both sweeps start from the same state: statistics current, nothing left to flush.
        await withClient(url, async (client) => {
          // A schema variant to measure (README, "Benchmarks"): say, without a foreign key.
          for (const sql of (process.env.BENCH_DDL ?? '').split(';').filter((statement) => statement.trim())) await client.query(sql);
          await client.query('VACUUM ANALYZE');
          await client.query('CHECKPOINT');
        });
        return { name, url, result: await sweep(url) };
      };
      const free = await run(false);
      await pg.dropDatabase(free.name);
      const priced = await run(true);
      const [f, p] = [free.result, priced.result];
      if (pair >= 0) pairs.push({ free: f, priced: p });
      console.log(`${pair < 0 ? 'warm-up pair (not counted)' : `pair ${pair + 1}`}: without billing ${Math.round(f.ms)} ms (${f.statements} statements; ${f.phases}), with billing ${Math.round(p.ms)} ms (${p.statements} statements; ${p.phases}): ${(p.ms / f.ms).toFixed(2)}x`);
      if (pair === 0 && process.env.BENCH_SKIP_CSV !== '1') {
        const [{ lines, credits }] = await withClient(priced.url, async (client) =>
          (await client.query<{ lines: number; credits: number }>(`SELECT count(*)::int AS lines, count(*) FILTER (WHERE paid_with_credit)::int AS credits FROM charges WHERE kind = 'SESSION'`)).rows,
        );
        console.log(`priced sweep wrote ${lines} SESSION lines, ${credits} paid with a pack credit`);
        const s = await statementQueries(priced.url);
        console.log(`a year's statement of a member with 500 charges: ${s.lines} lines, ${s.statements} SQL statements, ${s.ms.toFixed(1)} ms`);
        const csv = await csvExport(priced.url);
        console.log(`CSV export: ${csv.rows} records (${(csv.bytes / 2 ** 20).toFixed(1)} MB) in ${Math.round(csv.ms)} ms; RSS ${csv.rssBeforeMb.toFixed(0)} MB before, peak ${csv.rssPeakMb.toFixed(0)} MB while streaming`);
      }
      await pg.dropDatabase(priced.name);
    }
    const ratios = pairs.map((p) => p.priced.ms / p.free.ms);
    const notices = pairs.map((p) => p.priced.notices);
    console.log(`load average at end ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
    console.log(`sweep of ${SESSIONS.toLocaleString('en')} sessions without billing: median ${Math.round(median(pairs.map((p) => p.free.ms)))} ms; with billing: median ${Math.round(median(pairs.map((p) => p.priced.ms)))} ms`);
    // The goal (issue 22): at most 1 s added per 10,000 charges, linear to 100,000.
    const added = pairs.map((p) => ((p.priced.ms - p.free.ms) * 10_000) / SESSIONS);
    console.log(`billing adds per 10,000 charges: median ${Math.round(median(added))} ms (${added.map(Math.round).join(', ')})`);
    console.log(`ratio: median ${median(ratios).toFixed(2)}x of ${PAIRS} pairs (${ratios.map((r) => r.toFixed(2)).join(', ')})`);
    console.log(`after each priced sweep's commit: ${notices[0].notifications} CHARGE_CREATED notifications (with their emails' outbox rows) from ${notices[0].rows} CHARGE_NOTICES rows in ${notices.map((n) => Math.round(n.ms)).join(', ')} ms`);
  } finally {
    await pg.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
