import pg from 'pg';
import { addDays } from '../../src/domain/civil-date';
import { localDateOf } from '../../src/domain/zone-time';
import { BENCH_SEED, Rng } from './rng';
import { BENCH_TIMEZONE, benchTokens } from './server';

/**
 * Deterministic studios for benchmarks. Rows go in with set-based SQL (unnest), not the API:
 * arranging 10,000 series must not take longer than the thing measured.
 *
 * Shape: every coach has its own room (capacity 1), weekly hours Mon-Fri 07:00-20:00 in
 * BENCH_TIMEZONE, default duration 60. Series: one per member, hourly slots Mon-Fri
 * 08:00-18:00 (50 per coach at most), so no two series clash and every occurrence is bookable.
 */
export interface StudioSpec {
  owners: number;
  coaches: number;
  members: number;
  /** Members 0..series-1 get one ACTIVE weekly series each, spread over the coaches. */
  series: number;
  seed?: number;
}

export interface BenchUser {
  id: string;
  email: string;
}

export interface Studio {
  owners: BenchUser[];
  coaches: (BenchUser & { roomId: string })[];
  members: BenchUser[];
  seriesCount: number;
  /** The studio's local date the data was made for. */
  today: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const SLOT_HOURS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
export const SLOTS_PER_COACH = WEEKDAYS.length * SLOT_HOURS.length;
const BATCH = 5_000;

export async function createStudio(databaseUrl: string, spec: StudioSpec): Promise<Studio> {
  if (spec.series > spec.members) throw new Error('one series per member: series must be <= members');
  if (spec.series > spec.coaches * SLOTS_PER_COACH) throw new Error(`at most ${SLOTS_PER_COACH} series per coach`);
  const rng = new Rng(spec.seed ?? BENCH_SEED);
  const today = localDateOf(new Date(), BENCH_TIMEZONE);
  const user = (role: string, i: number): BenchUser => ({ id: rng.uuid(), email: `${role}-${String(i).padStart(5, '0')}@bench.test` });
  const owners = Array.from({ length: spec.owners }, (_, i) => user('owner', i));
  const coaches = Array.from({ length: spec.coaches }, (_, i) => ({ ...user('coach', i), roomId: rng.uuid() }));
  const members = Array.from({ length: spec.members }, (_, i) => user('member', i));

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const [role, users] of [['OWNER', owners], ['COACH', coaches], ['MEMBER', members]] as const) {
      for (const batch of chunks(users, BATCH)) {
        await client.query(
          `INSERT INTO users (id, email, name, role)
           SELECT unnest($1::uuid[]), unnest($2::text[]), unnest($3::text[]), $4::"Role"`,
          [batch.map((u) => u.id), batch.map((u) => u.email), batch.map((u) => u.email.split('@')[0].replace('-', ' ')), role],
        );
      }
    }
    await client.query(
      `INSERT INTO rooms (id, name, capacity) SELECT unnest($1::uuid[]), 'Room ' || unnest($2::text[]), 1`,
      [coaches.map((c) => c.roomId), coaches.map((_, i) => String(i).padStart(4, '0'))],
    );
    await client.query(
      `INSERT INTO coach_settings (coach_id, default_room_id, default_duration_minutes)
       SELECT unnest($1::uuid[]), unnest($2::uuid[]), 60`,
      [coaches.map((c) => c.id), coaches.map((c) => c.roomId)],
    );
    await client.query(
      `INSERT INTO weekly_availability (coach_id, day_of_week, start_minute, end_minute)
       SELECT c, d, 7 * 60, 20 * 60 FROM unnest($1::uuid[]) c CROSS JOIN unnest($2::int[]) d`,
      [coaches.map((c) => c.id), WEEKDAYS],
    );

    // Each coach's slots in a seeded order; member i takes the next free slot of coach i % coaches.
    const slots = coaches.map(() => rng.shuffle(WEEKDAYS.flatMap((day) => SLOT_HOURS.map((hour) => [day, hour] as const))));
    const startDate = addDays(today, -7);
    const rows = Array.from({ length: spec.series }, (_, i) => {
      const coachIndex = i % spec.coaches;
      const [day, hour] = slots[coachIndex][Math.floor(i / spec.coaches)];
      return { id: rng.uuid(), member: members[i].id, coach: coaches[coachIndex].id, room: coaches[coachIndex].roomId, day, start: hour * 60, price: 3000 + rng.int(61) * 100 };
    });
    for (const batch of chunks(rows, BATCH)) {
      await client.query(
        `INSERT INTO recurring_bookings (id, member_id, coach_id, room_id, day_of_week, start_minute, end_minute, timezone, start_date, status, price_cents)
         SELECT id, m, c, r, d, s, s + 60, $7, $8::date, 'ACTIVE', p
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::int[], $9::int[]) AS t(id, m, c, r, d, s, p)`,
        [batch.map((r) => r.id), batch.map((r) => r.member), batch.map((r) => r.coach), batch.map((r) => r.room), batch.map((r) => r.day), batch.map((r) => r.start), BENCH_TIMEZONE, startDate, batch.map((r) => r.price)],
      );
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return { owners, coaches, members, seriesCount: spec.series, today };
}

export interface SqlGenerationOptions {
  /** Occurrences starting in [from, to) become sessions, like a generation run at `from`. */
  from: Date;
  to: Date;
  /** Also write each session's first history row (null -> SCHEDULED), as the server's writes do. */
  withHistory: boolean;
}

/**
 * The physical baseline of generation: every occurrence of every ACTIVE series (wall-clock
 * time in its timezone, inside its start/end dates) that starts in [from, to), as ONE plain
 * INSERT ... SELECT, plus its history rows through a data-modifying CTE (still one
 * statement). Returns the sessions inserted.
 */
export async function generateSessionsBySql(databaseUrl: string, options: SqlGenerationOptions): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const occurrences = `
      SELECT rb.id, rb.coach_id, rb.member_id, rb.room_id,
             ((day + make_interval(mins => rb.start_minute)) AT TIME ZONE rb.timezone) AS start_time,
             -- the duration stays on a DST day (src/domain/weekly-rule.ts)
             ((day + make_interval(mins => rb.start_minute)) AT TIME ZONE rb.timezone) + make_interval(mins => rb.end_minute - rb.start_minute) AS end_time
      FROM recurring_bookings rb
      -- local dates around the window (a day of margin for any offset), this series' weekday only
      CROSS JOIN LATERAL (SELECT GREATEST(rb.start_date, ($1::timestamptz AT TIME ZONE rb.timezone)::date - 1) AS first_day) f
      CROSS JOIN LATERAL generate_series(
        (f.first_day + ((rb.day_of_week - EXTRACT(DOW FROM f.first_day)::int + 7) % 7))::timestamp,
        LEAST(COALESCE(rb.end_date, 'infinity'::date), ($2::timestamptz AT TIME ZONE rb.timezone)::date + 1)::timestamp,
        interval '7 days') AS day
      WHERE rb.status = 'ACTIVE'`;
    const insert = `
      INSERT INTO training_sessions (coach_id, member_id, room_id, start_time, end_time, status, recurring_booking_id, occurrence_start)
      SELECT coach_id, member_id, room_id, start_time, end_time, 'SCHEDULED', id, start_time
      FROM (${occurrences}) o WHERE start_time >= $1 AND start_time < $2`;
    const sql = options.withHistory
      ? `WITH inserted AS (${insert} RETURNING id)
         INSERT INTO session_status_changes (session_id, from_status, to_status, at) SELECT id, NULL, 'SCHEDULED', now() FROM inserted`
      : insert;
    const result = await client.query(sql, [options.from, options.to]);
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

export async function tokensFor(users: readonly BenchUser[]): Promise<string[]> {
  return Promise.all(users.map((u) => benchTokens.sign(u.id)));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
