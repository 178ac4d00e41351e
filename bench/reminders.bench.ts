import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';
import type { Benchmark } from './harness/bench';
import { createStudio, generateSessionsBySql, type StudioSpec } from './harness/data';
import { startBenchPostgres, withClient, type BenchPostgres } from './harness/postgres';
import { startServerProcess, type ServerProcess } from './harness/server';
import { mb, ms, round } from './harness/stats';

/**
 * Reminders: 10,000 day-ahead reminders all due at the same instant, handed to a real SMTP
 * server on loopback (smtp-server in this process, accepting everything), by one server
 * instance and then, on a fresh database, by two. Time runs from the due instant to the
 * 10,000th message accepted. Each instance turns due reminders into notifications and
 * outbox rows in batches (SKIP LOCKED) and its outbox worker delivers them over a pool of
 * SMTP connections.
 */
const STUDIO: StudioSpec = { owners: 1, coaches: 200, members: 10_000, series: 10_000 };
const DAY_MS = 86_400_000;
const WARM_UP_MS = 8_000;

interface Sink {
  url: string;
  accepted: number;
  /** performance.now() of the last accepted message */
  lastAt: number;
  reset(): void;
  stop(): Promise<void>;
}

async function startSink(): Promise<Sink> {
  const sink: Sink = {
    url: '',
    accepted: 0,
    lastAt: 0,
    reset() {
      sink.accepted = 0;
      sink.lastAt = 0;
    },
    stop: async () => undefined,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        sink.accepted += 1;
        sink.lastAt = performance.now();
        callback();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `smtp://127.0.0.1:${((server.server as net.Server).address() as net.AddressInfo).port}`;
  sink.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

interface PhaseResult {
  reminders: number;
  /** due instant -> last message accepted */
  ms: number;
  peakRss: number[];
}

async function phase(pg: BenchPostgres, sink: Sink, name: string, instances: number, log: (m: string) => void): Promise<PhaseResult> {
  const url = await pg.createDatabase(name);
  await createStudio(url, STUDIO);
  // One session per series in the week starting tomorrow, each with a reminder due at the same instant.
  const from = new Date(Date.now() + DAY_MS);
  await generateSessionsBySql(url, { from, to: new Date(from.getTime() + 7 * DAY_MS), withHistory: true });
  const servers: ServerProcess[] = [];
  try {
    const env = { SMTP_URL: sink.url, MAIL_FROM: 'Studio <no-reply@studio.test>', PUBLIC_URL: 'https://app.studio.test' };
    for (let i = 0; i < instances; i++) servers.push(await startServerProcess(url, { env }));
    const due = new Date(Date.now() + WARM_UP_MS);
    const reminders = await withClient(url, async (client) => {
      const result = await client.query(
        `INSERT INTO session_reminders (session_id, user_id, lead_minutes, session_start, due_at)
         SELECT id, member_id, 1440, start_time, $1 FROM training_sessions`,
        [due],
      );
      return result.rowCount ?? 0;
    });
    sink.reset();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due.getTime() - Date.now())));
    const dueAt = performance.now();
    const deadline = dueAt + 180_000;
    while (sink.accepted < reminders && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    if (sink.accepted < reminders) throw new Error(`only ${sink.accepted} of ${reminders} reminders reached SMTP in 180 s`);
    const total = sink.lastAt - dueAt;
    const peakRss = await Promise.all(servers.map(async (s) => (await s.stats()).maxRss));
    log(`${instances} instance(s): ${reminders} reminders handed to SMTP in ${ms(total)}`);
    return { reminders, ms: total, peakRss };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

export const remindersBenchmark: Benchmark = {
  name: 'reminders',
  title: 'Reminders: 10,000 due at the same instant, to an SMTP server on loopback',
  async run(log) {
    const pg = await startBenchPostgres();
    const sink = await startSink();
    try {
      const one = await phase(pg, sink, 'bench_reminders_one', 1, log);
      const two = await phase(pg, sink, 'bench_reminders_two', 2, log);
      return {
        rows: [
          {
            metric: 'One instance: due instant to the last message accepted by SMTP',
            value: `${ms(one.ms)}: ${one.reminders} emails, ${round(one.reminders / (one.ms / 1000), 0)} per second`,
            goal: '< 60 s',
            met: one.ms < 60_000,
          },
          {
            metric: 'Two instances on one database',
            value: `${ms(two.ms)}: ${two.reminders} emails, ${round(two.reminders / (two.ms / 1000), 0)} per second`,
            goal: '< 40 s',
            met: two.ms < 40_000,
          },
          { metric: 'Server peak RSS: one instance; two instances', value: `${mb(one.peakRss[0])} MB; ${two.peakRss.map((r) => mb(r)).join(' + ')} MB` },
        ],
        notes: [
          `Data: seeded studio (${STUDIO.members} members, ${STUDIO.series} weekly series), one session per series in the coming week, one reminder each, all due ${WARM_UP_MS / 1000} s after the servers started (default OUTBOX_POLL_INTERVAL_MS 5 s: up to 5 s of the time is waiting for the next poll).`,
          'Each reminder becomes an in-app notification and an email (plain text + HTML) in batches of 500 per transaction; the outbox delivers 20 at a time per instance over 5 pooled SMTP connections, without holding a database connection while sending. The SMTP server runs in the benchmark process and accepts every message.',
        ],
      };
    } finally {
      await sink.stop();
      await pg.stop();
    }
  },
};
