import { performance } from 'node:perf_hooks';
import { addDays, dayOfWeekOf } from '../src/domain/civil-date';
import { zonedDateTimeToInstant } from '../src/domain/zone-time';
import type { Benchmark } from './harness/bench';
import { createStudio, tokensFor } from './harness/data';
import { gql } from './harness/graphql';
import { resetStatementStats, startBenchPostgres, statementCount, withClient } from './harness/postgres';
import { BENCH_TIMEZONE, startServerProcess, type ServerProcess } from './harness/server';
import { median, ms, percentile, round } from './harness/stats';

/**
 * Booking contention: 200 bookSession requests at once (each member books for itself) on
 * 20 one-hour slots of ONE coach, so ten requests race for every slot: exactly 20 may
 * succeed, the rest must be CONFLICT, and no two rows may overlap (checked in SQL).
 * Baseline: 200 requests at once on 200 distinct slots (10 coaches x 20), where nothing
 * clashes. ROUNDS rounds of each, alternating, each in a later week, after a warm-up burst.
 */
const REQUESTS = 200;
const SLOTS = 20;
const ROUNDS = 3;
const UNCONTENDED_COACHES = REQUESTS / SLOTS;

const BOOK = `mutation Book($input: BookSessionInput!) { bookSession(input: $input) { id startTime endTime status } }`;

interface Round {
  ms: number;
  latencies: number[];
  ok: number;
  conflicts: number;
  other: string[];
}

export const bookingBenchmark: Benchmark = {
  name: 'booking',
  title: 'Booking contention: 200 concurrent bookSession on 20 slots',
  async run(log) {
    const pg = await startBenchPostgres({ statementStats: true });
    let server: ServerProcess | undefined;
    try {
      const url = await pg.createDatabase('bench_booking');
      const studio = await createStudio(url, { owners: 1, coaches: 1 + UNCONTENDED_COACHES, members: 2 * REQUESTS, series: 0 });
      const memberTokens = await tokensFor(studio.members);
      server = await startServerProcess(url);
      const srv = server;

      // Slots: Monday and Tuesday 08:00-18:00 (studio time) of week `week` from now, hourly.
      const slotsOfWeek = (week: number): Date[] => {
        const monday = nextMonday(addDays(studio.today, 7 * week));
        return [monday, addDays(monday, 1)].flatMap((day) => Array.from({ length: SLOTS / 2 }, (_, h) => zonedDateTimeToInstant(day, (8 + h) * 60, BENCH_TIMEZONE)));
      };
      const burst = async (requests: { token: string; coachId: string; startTime: Date }[]): Promise<Round> => {
        const started = performance.now();
        const results = await Promise.all(
          requests.map(async (r) => {
            const t0 = performance.now();
            const result = await gql(srv.url, BOOK, { input: { coachId: r.coachId, startTime: r.startTime.toISOString() } }, r.token);
            return { result, latency: performance.now() - t0 };
          }),
        );
        const round: Round = { ms: performance.now() - started, latencies: results.map((r) => r.latency), ok: 0, conflicts: 0, other: [] };
        for (const { result } of results) {
          if (result.data && !result.errors) round.ok += 1;
          else if (result.errors?.[0]?.extensions?.code === 'CONFLICT') round.conflicts += 1;
          else round.other.push(JSON.stringify(result.errors ?? result.status));
        }
        return round;
      };

      const uncontendedBurst = (week: number) => {
        const slots = slotsOfWeek(week);
        return burst(
          Array.from({ length: REQUESTS }, (_, i) => ({
            token: memberTokens[REQUESTS + i],
            coachId: studio.coaches[1 + Math.floor(i / SLOTS)].id,
            startTime: slots[i % SLOTS],
          })),
        );
      };

      // A warm-up burst in a later week: JIT-compiled code paths and a full connection pool.
      const warm = await uncontendedBurst(2 * ROUNDS + 2);
      if (warm.ok !== REQUESTS) throw new Error(`warm-up bookings failed: ${warm.other.slice(0, 3).join('; ')}`);
      log(`warm-up: ${REQUESTS} uncontended bookings in ${ms(warm.ms)}`);

      await resetStatementStats(url);
      const before = await srv.stats();
      const contended: Round[] = [];
      const uncontended: Round[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        const contendedSlots = slotsOfWeek(1 + 2 * round);
        contended.push(
          await burst(Array.from({ length: REQUESTS }, (_, i) => ({ token: memberTokens[i], coachId: studio.coaches[0].id, startTime: contendedSlots[i % SLOTS] }))),
        );
        uncontended.push(await uncontendedBurst(2 + 2 * round));
        log(`round ${round + 1}: contended ${contended[round].ok} ok / ${contended[round].conflicts} conflicts in ${ms(contended[round].ms)}; uncontended ${uncontended[round].ok} ok in ${ms(uncontended[round].ms)}`);
      }

      const after = await srv.stats();
      const requests = 2 * ROUNDS * REQUESTS;
      const statementsPerRequest = (await statementCount(url)) / requests;
      const cpuPerRequest = (after.cpuMicros - before.cpuMicros) / 1000 / requests;
      const check = await verify(url, studio.coaches[0].id);
      const rate = (rounds: Round[]) => (rounds.length * REQUESTS) / (rounds.reduce((sum, r) => sum + r.ms, 0) / 1000);
      const latencies = (rounds: Round[]) => rounds.flatMap((r) => r.latencies);
      const contendedRate = rate(contended);
      const uncontendedRate = rate(uncontended);
      const winners = contended.map((r) => r.ok);
      const other = [...contended, ...uncontended].flatMap((r) => r.other);
      return {
        rows: [
          {
            metric: `Throughput, ${REQUESTS} concurrent requests on ${SLOTS} slots (${ROUNDS} rounds)`,
            value: `${round(contendedRate, 0)} req/s (a round: median ${ms(median(contended.map((r) => r.ms)))})`,
            baseline: `${round(uncontendedRate, 0)} req/s on ${REQUESTS} distinct slots (median ${ms(median(uncontended.map((r) => r.ms)))})`,
            ratio: `${round((100 * contendedRate) / uncontendedRate, 0)}%`,
          },
          { metric: 'Latency per request p50 / p99', value: `${ms(percentile(latencies(contended), 50))} / ${ms(percentile(latencies(contended), 99))}`, baseline: `${ms(percentile(latencies(uncontended), 50))} / ${ms(percentile(latencies(uncontended), 99))}` },
          {
            metric: 'Bookings that succeeded per round / CONFLICT answers',
            value: `${winners.join(', ')} / ${contended.map((r) => r.conflicts).join(', ')}`,
            baseline: `${uncontended.map((r) => r.ok).join(', ')} / ${uncontended.map((r) => r.conflicts).join(', ')}`,
            goal: `${SLOTS} / ${REQUESTS - SLOTS} (baseline ${REQUESTS} / 0)`,
            met: contended.every((r) => r.ok === SLOTS && r.conflicts === REQUESTS - SLOTS) && uncontended.every((r) => r.ok === REQUESTS),
          },
          { metric: 'Server CPU per request / SQL statements per request (all rounds)', value: `${cpuPerRequest.toFixed(2)} ms / ${round(statementsPerRequest, 1)}` },
          { metric: 'Other errors', value: String(other.length), goal: '0', met: other.length === 0 },
          {
            metric: 'Overlapping non-cancelled rows (same coach, member or room), by SQL',
            value: String(check.overlaps),
            goal: '0',
            met: check.overlaps === 0,
          },
          { metric: 'Contended coach: sessions per slot (min-max), by SQL', value: `${check.perSlotMin}-${check.perSlotMax} over ${check.slots} slots`, goal: '1-1', met: check.perSlotMin === 1 && check.perSlotMax === 1 && check.slots === SLOTS * ROUNDS },
        ],
        notes: [
          `Every request is a member booking for itself (no memberId), default duration (60 min) and the coach's default room (capacity 1); ${REQUESTS} fetches started together from the benchmark process.`,
          ...(other.length > 0 ? [`Unexpected errors (first 3): ${other.slice(0, 3).join(' | ')}`] : []),
        ],
      };
    } finally {
      await server?.stop();
      await pg.stop();
    }
  },
};

/** The local date of the first Monday on or after `date`. */
function nextMonday(date: string): string {
  return addDays(date, (1 - dayOfWeekOf(date) + 7) % 7);
}

async function verify(url: string, contendedCoachId: string) {
  return withClient(url, async (client) => {
    const overlaps = await client.query<{ n: string }>(`
      SELECT count(*) AS n FROM training_sessions a JOIN training_sessions b
        ON a.id < b.id
       AND (a.coach_id = b.coach_id OR a.member_id = b.member_id OR a.room_id = b.room_id)
       AND tstzrange(a.start_time, a.end_time, '[)') && tstzrange(b.start_time, b.end_time, '[)')
      WHERE a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'`);
    const perSlot = await client.query<{ min: number; max: number; slots: number }>(
      `SELECT min(n)::int AS min, max(n)::int AS max, count(*)::int AS slots FROM (
         SELECT start_time, count(*) AS n FROM training_sessions WHERE coach_id = $1 AND status <> 'CANCELLED' GROUP BY start_time) s`,
      [contendedCoachId],
    );
    return { overlaps: Number(overlaps.rows[0].n), perSlotMin: perSlot.rows[0].min, perSlotMax: perSlot.rows[0].max, slots: perSlot.rows[0].slots };
  });
}
