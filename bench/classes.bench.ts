import { performance } from 'node:perf_hooks';
import type { Client } from 'graphql-ws';
import type { Benchmark } from './harness/bench';
import { createStudio, tokensFor, type Studio } from './harness/data';
import { gql, gqlOk } from './harness/graphql';
import { startBenchPostgres, withClient, type BenchPostgres } from './harness/postgres';
import { BENCH_TIMEZONE, startServerProcess } from './harness/server';
import { subscriber } from './harness/subscriber';
import { ms, percentile, round, sleep } from './harness/stats';
import type { ResultRow } from './harness/results';

/**
 * Group classes, the four targets of issue 23, each on its own fresh database and server:
 *   race       200 members enroll at once into 20 places (+20 waitlist): latency, and exactly 20 / 20 / 160;
 *   promotion  a cancellation to the promoted member's enrollmentChanged event, one at a time;
 *   generation 1,000 weekly schedules x 6 weeks with 10 standing reservations each, against
 *              plain INSERT ... SELECTs of the same rows;
 *   offers     10,000 offers expiring at the same instant, handled by one instance's worker.
 * Rows are arranged in SQL (unnest), not through the API, as the other benchmarks do.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RACERS = 200;
const PLACES = 20;
const RACE_ROUNDS = 3;
const PROMOTIONS = 100;
const SCHEDULES = 1_000;
const STANDING = 10;
const HORIZON_WEEKS = 6;
const OFFER_CLASSES = 1_000;
const OFFERS_PER_CLASS = 10;

const ENROLL = `mutation Enroll($id: ID!) { enrollInClass(sessionId: $id) { id status } }`;
const CANCEL = `mutation Cancel($id: ID!) { cancelEnrollment(id: $id) { id status } }`;
const CHANGED = `subscription { enrollmentChanged { id status } }`;
const GENERATE = `mutation { generateSessions { classesGenerated standingBooked standingWaitlisted standingSkipped durationMs } }`;

const nextHour = (at: number) => Math.ceil(at / HOUR) * HOUR;

async function classType(url: string): Promise<string> {
  return withClient(url, async (c) =>
    (await c.query<{ id: string }>(`INSERT INTO class_types (name, duration_minutes, capacity, waitlist_capacity, price_cents) VALUES ('Bench class', 60, 10, 10, 1500) RETURNING id::text`)).rows[0]!.id);
}

/** Classes of `coachIndex(i)` starting at `starts[i]`; returns their ids in order. */
async function insertClasses(url: string, studio: Studio, typeId: string, starts: Date[], spec: { minutes: number; capacity: number; waitlist: number; coachOf: (i: number) => number }): Promise<string[]> {
  const coaches = starts.map((_, i) => studio.coaches[spec.coachOf(i)]!);
  return withClient(url, async (c) =>
    (await c.query<{ id: string }>(
      `INSERT INTO class_sessions (class_type_id, coach_id, room_id, start_time, end_time, capacity, waitlist_capacity, price_cents, credits_per_class)
       SELECT $1, coach, room, s, s + make_interval(mins => $5), $6, $7, 1500, 1
       FROM unnest($2::uuid[], $3::uuid[], $4::timestamptz[]) WITH ORDINALITY AS t(coach, room, s, n) ORDER BY n
       RETURNING id::text`,
      [typeId, coaches.map((c) => c.id), coaches.map((c) => c.roomId), starts, spec.minutes, spec.capacity, spec.waitlist],
    )).rows.map((r) => r.id));
}

async function insertEnrollments(url: string, rows: { classId: string; memberId: string; status: string; expiresAt?: Date | null }[]): Promise<string[]> {
  return withClient(url, async (c) =>
    (await c.query<{ id: string }>(
      `INSERT INTO enrollments (class_session_id, member_id, status, offer_expires_at, joined_at)
       SELECT cls, m, st::"EnrollmentStatus", exp, now() + make_interval(secs => n / 1000.0)
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS t(cls, m, st, exp, n) ORDER BY n
       RETURNING id::text`,
      [rows.map((r) => r.classId), rows.map((r) => r.memberId), rows.map((r) => r.status), rows.map((r) => r.expiresAt ?? null)],
    )).rows.map((r) => r.id));
}

async function race(pg: BenchPostgres, log: (m: string) => void): Promise<ResultRow[]> {
  const url = await pg.createDatabase('bench_classes_race');
  const studio = await createStudio(url, { owners: 1, coaches: 1, members: RACERS, series: 0 });
  const tokens = await tokensFor(studio.members);
  const typeId = await classType(url);
  const first = nextHour(Date.now() + 3 * DAY);
  const classes = await insertClasses(url, studio, typeId, Array.from({ length: RACE_ROUNDS + 1 }, (_, i) => new Date(first + 2 * i * HOUR)), { minutes: 60, capacity: PLACES, waitlist: PLACES, coachOf: () => 0 });
  const server = await startServerProcess(url);
  try {
    const latencies: number[] = [];
    const outcomes: string[] = [];
    for (const [round, classId] of classes.entries()) {
      const results = await Promise.all(tokens.map(async (token) => {
        const t0 = performance.now();
        const result = await gql<{ enrollInClass: { status: string } }>(server.url, ENROLL, { id: classId }, token);
        return { ms: performance.now() - t0, outcome: result.data?.enrollInClass?.status ?? String(result.errors?.[0]?.extensions?.code) };
      }));
      const counts = countBy(results.map((r) => r.outcome));
      const stored = await withClient(url, async (c) => (await c.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM enrollments WHERE class_session_id = $1 GROUP BY status ORDER BY status`, [classId])).rows);
      log(`race ${round === 0 ? 'warm-up' : round}: ${JSON.stringify(counts)}; stored ${JSON.stringify(stored)}`);
      if (counts.BOOKED !== PLACES || counts.WAITLISTED !== PLACES || counts.CONFLICT !== RACERS - 2 * PLACES) throw new Error(`wrong outcome ${JSON.stringify(counts)}`);
      if (round === 0) continue;
      latencies.push(...results.map((r) => r.ms));
      outcomes.push(`${counts.BOOKED} / ${counts.WAITLISTED} / ${counts.CONFLICT}`);
    }
    return [
      { metric: `Enrollment latency, ${RACERS} members at once for ${PLACES} places (+${PLACES} waitlist), p50 / p99 (${RACE_ROUNDS} rounds)`, value: `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 99))}` },
      { metric: 'BOOKED / WAITLISTED / CONFLICT per round (answers, and the same rows in the table)', value: outcomes.join('; '), goal: `${PLACES} / ${PLACES} / ${RACERS - 2 * PLACES}`, met: true },
    ];
  } finally {
    await server.stop();
  }
}

async function promotion(pg: BenchPostgres, log: (m: string) => void): Promise<ResultRow[]> {
  const url = await pg.createDatabase('bench_classes_promotion');
  const studio = await createStudio(url, { owners: 1, coaches: 1, members: 2 * (PROMOTIONS + 1), series: 0 });
  const tokens = await tokensFor(studio.members);
  const typeId = await classType(url);
  // Days ahead: before the auto-promotion cutoff, so the next in line is BOOKED at once.
  const first = nextHour(Date.now() + 4 * DAY);
  const classes = await insertClasses(url, studio, typeId, Array.from({ length: PROMOTIONS + 1 }, (_, i) => new Date(first + i * HOUR)), { minutes: 60, capacity: 1, waitlist: 1, coachOf: () => 0 });
  const holders = await insertEnrollments(url, classes.map((classId, i) => ({ classId, memberId: studio.members[2 * i]!.id, status: 'BOOKED' })));
  const waiters = await insertEnrollments(url, classes.map((classId, i) => ({ classId, memberId: studio.members[2 * i + 1]!.id, status: 'WAITLISTED' })));
  const server = await startServerProcess(url);
  const clients: Client[] = [];
  try {
    const booked = new Map<string, () => void>();
    for (const [i] of classes.entries()) {
      clients.push(await subscriber<{ enrollmentChanged: { id: string; status: string } }>(server, tokens[2 * i + 1]!, CHANGED, ({ enrollmentChanged: e }) => {
        if (e.status === 'BOOKED') booked.get(e.id)?.();
      }));
    }
    await sleep(500);
    const samples: number[] = [];
    for (const [i, holder] of holders.entries()) {
      const heard = new Promise<void>((resolve) => booked.set(waiters[i]!, resolve));
      const t0 = performance.now();
      await gqlOk(server.url, CANCEL, { id: holder }, tokens[2 * i]!);
      await Promise.race([heard, sleep(5_000).then(() => Promise.reject(new Error(`no enrollmentChanged for ${waiters[i]}`)))]);
      if (i > 0) samples.push(performance.now() - t0); // the first is the warm-up
    }
    log(`promotion: p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))}`);
    const p99 = percentile(samples, 99);
    return [{
      metric: `Cancellation to the promoted member's enrollmentChanged (BOOKED), p50 / p99 (${PROMOTIONS} cancellations, one at a time)`,
      value: `${ms(percentile(samples, 50))} / ${ms(p99)}`, goal: 'p99 < 200 ms', met: p99 < 200,
    }];
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await server.stop();
  }
}

/** 1,000 schedules (50 coaches x 20 weekly hours Mon-Fri) with 10 standing members each (every member one). */
async function arrangeSchedules(url: string): Promise<void> {
  const studio = await createStudio(url, { owners: 1, coaches: SCHEDULES / 20, members: SCHEDULES * STANDING, series: 0 });
  const typeId = await classType(url);
  const rows = Array.from({ length: SCHEDULES }, (_, i) => ({ coach: studio.coaches[Math.floor(i / 20)]!, day: 1 + (i % 5), hour: 8 + 2 * (Math.floor(i / 5) % 4) }));
  await withClient(url, async (c) => {
    const ids = (await c.query<{ id: string }>(
      `INSERT INTO class_schedules (class_type_id, coach_id, room_id, day_of_week, start_minute, end_minute, timezone, start_date, capacity)
       SELECT $1, coach, room, d, h * 60, h * 60 + 60, $5, $6::date, ${STANDING}
       FROM unnest($2::uuid[], $3::uuid[], $4::int[], $7::int[]) WITH ORDINALITY AS t(coach, room, d, h, n) ORDER BY n
       RETURNING id::text`,
      [typeId, rows.map((r) => r.coach.id), rows.map((r) => r.coach.roomId), rows.map((r) => r.day), BENCH_TIMEZONE, studio.today, rows.map((r) => r.hour)],
    )).rows.map((r) => r.id);
    await c.query(
      `INSERT INTO standing_reservations (member_id, schedule_id, start_date)
       SELECT unnest($1::uuid[]), unnest($2::uuid[]), $3::date`,
      [studio.members.map((m) => m.id), studio.members.map((_, i) => ids[Math.floor(i / STANDING)]), studio.today],
    );
    await c.query('ANALYZE');
  });
}

/** The physical baseline: the same classes, then their standing members' places with history, as plain INSERT ... SELECTs. */
async function generateClassesBySql(url: string, from: Date, to: Date): Promise<{ classes: number; enrollments: number }> {
  return withClient(url, async (c) => {
    await c.query('BEGIN');
    const classes = await c.query(
      `INSERT INTO class_sessions (class_type_id, schedule_id, occurrence_start, coach_id, room_id, start_time, end_time, capacity, waitlist_capacity, price_cents, credits_per_class)
       SELECT o.class_type_id, o.id, o.start_time, o.coach_id, o.room_id, o.start_time, o.start_time + make_interval(mins => o.end_minute - o.start_minute), o.capacity, t.waitlist_capacity, t.price_cents, t.credits_per_class
       FROM (SELECT s.*, ((day + make_interval(mins => s.start_minute)) AT TIME ZONE s.timezone) AS start_time
             FROM class_schedules s
             CROSS JOIN LATERAL (SELECT GREATEST(s.start_date, ($1::timestamptz AT TIME ZONE s.timezone)::date - 1) AS first_day) f
             CROSS JOIN LATERAL generate_series((f.first_day + ((s.day_of_week - EXTRACT(DOW FROM f.first_day)::int + 7) % 7))::timestamp,
               LEAST(COALESCE(s.end_date, 'infinity'::date), ($2::timestamptz AT TIME ZONE s.timezone)::date + 1)::timestamp, interval '7 days') AS day
             WHERE s.status = 'ACTIVE') o
       JOIN class_types t ON t.id = o.class_type_id
       WHERE o.start_time >= $1 AND o.start_time < $2`,
      [from, to],
    );
    const enrollments = await c.query(
      `WITH placed AS (
         INSERT INTO enrollments (class_session_id, member_id, status, standing_reservation_id)
         SELECT cs.id, r.member_id, 'BOOKED', r.id FROM class_sessions cs JOIN standing_reservations r ON r.schedule_id = cs.schedule_id
         ORDER BY cs.id, r.created_at, r.arrival
         RETURNING id)
       INSERT INTO enrollment_status_changes (enrollment_id, from_status, to_status, at, reason)
       SELECT id, NULL, 'BOOKED', now(), 'standing reservation' FROM placed`,
    );
    await c.query('COMMIT');
    return { classes: classes.rowCount ?? 0, enrollments: enrollments.rowCount ?? 0 };
  });
}

async function generation(pg: BenchPostgres, log: (m: string) => void): Promise<ResultRow[]> {
  const baselineUrl = await pg.createDatabase('bench_classes_generation_sql');
  await arrangeSchedules(baselineUrl);
  const from = new Date();
  const sqlStarted = performance.now();
  const sql = await generateClassesBySql(baselineUrl, from, new Date(from.getTime() + HORIZON_WEEKS * 7 * DAY));
  const sqlMs = performance.now() - sqlStarted;
  log(`baseline: ${sql.classes} classes + ${sql.enrollments} places in ${ms(sqlMs)}`);
  await pg.dropDatabase('bench_classes_generation_sql');

  const url = await pg.createDatabase('bench_classes_generation');
  await arrangeSchedules(url);
  const [owner] = await withClient(url, async (c) => (await c.query<{ id: string; email: string }>(`SELECT id::text, email FROM users WHERE role = 'OWNER'`)).rows);
  const [token] = await tokensFor([owner!]);
  const server = await startServerProcess(url, { env: { GENERATION_HORIZON_WEEKS: String(HORIZON_WEEKS) } });
  try {
    await gqlOk(server.url, '{ me { id } }', {}, token);
    const t0 = performance.now();
    const run = (await gqlOk<{ generateSessions: { classesGenerated: number; standingBooked: number; standingWaitlisted: number; standingSkipped: number; durationMs: number } }>(server.url, GENERATE, {}, token)).generateSessions;
    const runMs = performance.now() - t0;
    log(`generation: ${run.classesGenerated} classes, ${run.standingBooked} standing places in ${ms(runMs)} (server ${run.durationMs} ms)`);
    const t1 = performance.now();
    const again = (await gqlOk<{ generateSessions: { classesGenerated: number } }>(server.url, GENERATE, {}, token)).generateSessions;
    const againMs = performance.now() - t1;
    const ratio = runMs / sqlMs;
    return [
      {
        metric: `Generation, ${SCHEDULES} weekly classes x ${HORIZON_WEEKS} weeks with ${STANDING} standing reservations each (first run, generateSessions)`,
        value: `${ms(runMs)}: ${run.classesGenerated} classes, ${run.standingBooked} places (${run.standingWaitlisted} waitlisted, ${run.standingSkipped} skipped)`,
        baseline: `${ms(sqlMs)}: ${sql.classes} classes, ${sql.enrollments} places by INSERT ... SELECT`,
        ratio: `${round(ratio, 2)}x`, goal: '<= 2x', met: ratio <= 2,
      },
      { metric: 'Second run (nothing to do)', value: `${ms(againMs)}, ${again.classesGenerated} classes` },
    ];
  } finally {
    await server.stop();
  }
}

async function offers(pg: BenchPostgres, log: (m: string) => void): Promise<ResultRow[]> {
  const url = await pg.createDatabase('bench_classes_offers');
  const perClass = 2 * OFFERS_PER_CLASS; // the offered, and as many waiting behind them
  const studio = await createStudio(url, { owners: 1, coaches: 50, members: OFFER_CLASSES * perClass, series: 0 });
  const typeId = await classType(url);
  // Within the day (after the cutoff: places are offered, not booked): 20 half-hour classes per coach back to back.
  const first = nextHour(Date.now() + 3 * HOUR);
  const starts = Array.from({ length: OFFER_CLASSES }, (_, i) => new Date(first + (i % 20) * 30 * 60_000));
  const classes = await insertClasses(url, studio, typeId, starts, { minutes: 30, capacity: OFFERS_PER_CLASS, waitlist: OFFERS_PER_CLASS, coachOf: (i) => Math.floor(i / 20) });
  const expiry = new Date(Date.now() + 20_000);
  await insertEnrollments(url, classes.flatMap((classId, c) => Array.from({ length: perClass }, (_, k) => ({
    classId, memberId: studio.members[c * perClass + k]!.id, status: k < OFFERS_PER_CLASS ? 'OFFERED' : 'WAITLISTED', expiresAt: k < OFFERS_PER_CLASS ? expiry : null,
  }))));
  await withClient(url, (c) => c.query('ANALYZE'));
  const server = await startServerProcess(url);
  try {
    const due = async () => withClient(url, async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM enrollments WHERE status = 'OFFERED' AND offer_expires_at <= $1`, [expiry])).rows[0]!.n);
    await sleep(Math.max(0, expiry.getTime() - Date.now()));
    const t0 = Date.now();
    let left = OFFER_CLASSES * OFFERS_PER_CLASS;
    while (left > 0 && Date.now() - t0 < 180_000) {
      await sleep(100);
      left = await due();
    }
    const handledMs = Date.now() - t0;
    if (left > 0) throw new Error(`${left} offers still open after ${ms(handledMs)}`);
    await sleep(1_000); // notices of the last batch
    const check = await withClient(url, async (c) => (await c.query<{ expired: number; twice: number; offered: number; notices: number }>(
      `SELECT (SELECT count(*)::int FROM enrollment_status_changes WHERE to_status = 'EXPIRED' AND reason = 'the offer expired') AS expired,
              (SELECT count(*)::int FROM (SELECT enrollment_id FROM enrollment_status_changes WHERE to_status = 'EXPIRED' GROUP BY enrollment_id HAVING count(*) > 1) x) AS twice,
              (SELECT count(*)::int FROM enrollments WHERE status = 'OFFERED') AS offered,
              (SELECT count(*)::int FROM notifications WHERE kind = 'CLASS_OFFER_EXPIRED') AS notices`)).rows[0]!);
    log(`offers: ${JSON.stringify(check)} in ${ms(handledMs)}`);
    const exact = check.expired === OFFER_CLASSES * OFFERS_PER_CLASS && check.twice === 0 && check.notices === check.expired;
    return [
      {
        metric: `${OFFER_CLASSES * OFFERS_PER_CLASS} offers (${OFFER_CLASSES} classes) expiring at one instant, until none is open (one instance)`,
        value: `${ms(handledMs)}; each expired once (${check.expired} expiries, ${check.twice} twice, ${check.notices} notices), ${check.offered} places offered on to the next in line`,
        goal: '< 60 s, each exactly once', met: handledMs < 60_000 && exact,
      },
    ];
  } finally {
    await server.stop();
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

export const classesBenchmark: Benchmark = {
  name: 'classes',
  title: 'Group classes: enrollment race, promotion latency, generation with standing reservations, offers expiring at once',
  async run(log) {
    const pg = await startBenchPostgres();
    try {
      const rows = [...(await race(pg, log)), ...(await promotion(pg, log)), ...(await generation(pg, log)), ...(await offers(pg, log))];
      return {
        rows,
        notes: [
          `Race: ${RACE_ROUNDS} rounds after a warm-up, each ${RACERS} enrollInClass requests sent at once over HTTP by the benchmark process, one member each, into one class of ${PLACES} places and ${PLACES} waitlist places.`,
          `Promotion: ${PROMOTIONS} classes of one place, each with a member booked and one waiting (subscribed to enrollmentChanged over graphql-ws); the time runs from just before the booked member's cancelEnrollment until the waiting member's client receives its BOOKED event. Median of the rest after one warm-up.`,
          `Generation: the baseline writes the same classes with one INSERT ... SELECT and the places with their history with a second one (a data-modifying CTE), in one transaction, on a fresh database holding the same schedules; the server's run also takes the generation lock, every coach's schedule lock, checks blocks and clashes, and records the run.`,
          `Offers: ${OFFERS_PER_CLASS} offers per class expire at the same instant with as many members waiting behind them; the benchmark counts open expired offers every 100 ms from that instant. Exactly once: every expired offer has one EXPIRED history row and one CLASS_OFFER_EXPIRED notice.`,
          'One run per number; run again with `npm run bench -- classes`.',
        ],
      };
    } finally {
      await pg.stop();
    }
  },
};
