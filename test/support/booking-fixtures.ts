import { addDays, dayOfWeekOf } from '../../src/domain/civil-date';
import { localDateOf, zonedDateTimeToInstant } from '../../src/domain/zone-time';
import type { TestDatabase } from './database';
import type { TestServer, TestUser } from './server';

/**
 * Arranging recurring bookings and generation scenarios: coaches with rooms and weekly
 * hours, dates relative to today, series and sessions written straight into the
 * database when a test needs a state the API would not produce (past sessions, a series
 * that has already ended).
 */

let roomCounter = 0;

export interface CoachSetup {
  coach: TestUser;
  roomId: string;
}

/** A coach with a default room (capacity 1 unless told) and weekly hours covering every whole day. */
export async function coachWithRoom(server: TestServer, options: { capacity?: number; name?: string } = {}): Promise<CoachSetup> {
  const coach = await server.user('COACH', options.name);
  roomCounter += 1;
  const [room] = await server.db.query<{ id: string }>('INSERT INTO rooms (name, capacity) VALUES ($1, $2) RETURNING id', [
    `Room ${process.pid}-${roomCounter}`,
    options.capacity ?? 1,
  ]);
  await server.db.query('INSERT INTO coach_settings (coach_id, default_room_id) VALUES ($1, $2)', [coach.id, room.id]);
  await setWeeklyHours(server.db, coach.id, [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startMinute: 0, endMinute: 1440 })));
  return { coach, roomId: room.id };
}

export async function setWeeklyHours(db: TestDatabase, coachId: string, slots: { dayOfWeek: number; startMinute: number; endMinute: number }[]): Promise<void> {
  await db.query('DELETE FROM weekly_availability WHERE coach_id = $1', [coachId]);
  for (const slot of slots) {
    await db.query('INSERT INTO weekly_availability (coach_id, day_of_week, start_minute, end_minute) VALUES ($1, $2, $3, $4)', [
      coachId,
      slot.dayOfWeek,
      slot.startMinute,
      slot.endMinute,
    ]);
  }
}

/** Today's date in `timezone`. */
export function today(timezone = 'UTC', now = new Date()): string {
  return localDateOf(now, timezone);
}

/** The first date strictly after today (in `timezone`) that falls on `dayOfWeek`, plus `weeks` weeks. */
export function nextWeekday(dayOfWeek: number, timezone = 'UTC', weeks = 0): string {
  const start = today(timezone);
  const ahead = ((dayOfWeek - dayOfWeekOf(start) + 7) % 7) || 7;
  return addDays(start, ahead + 7 * weeks);
}

/** The instant of a wall-clock time: "HH:mm" on `date` in `timezone`. */
export function at(date: string, time: string, timezone = 'UTC'): Date {
  const [h, m] = time.split(':').map(Number);
  return zonedDateTimeToInstant(date, h * 60 + m, timezone);
}

export interface SeriesRow {
  memberId: string;
  coachId: string;
  roomId: string;
  dayOfWeek: number;
  startMinute: number;
  endMinute: number;
  timezone?: string;
  startDate: string;
  endDate?: string | null;
  status?: 'ACTIVE' | 'CANCELLED' | 'ENDED';
}

/** A series written directly (no sessions generated): the state a run starts from. */
export async function insertSeries(db: TestDatabase, row: SeriesRow): Promise<string> {
  const [created] = await db.query<{ id: string }>(
    `INSERT INTO recurring_bookings (member_id, coach_id, room_id, day_of_week, start_minute, end_minute, timezone, start_date, end_date, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [row.memberId, row.coachId, row.roomId, row.dayOfWeek, row.startMinute, row.endMinute, row.timezone ?? 'UTC', row.startDate, row.endDate ?? null, row.status ?? 'ACTIVE'],
  );
  return created.id;
}

export interface SessionRow {
  id: string;
  start: Date;
  end: Date;
  status: string;
  occurrenceStart: Date | null;
}

export async function sessionsOf(db: TestDatabase, recurringBookingId: string): Promise<SessionRow[]> {
  return db.query<SessionRow>(
    `SELECT id, start_time AS start, end_time AS "end", status, occurrence_start AS "occurrenceStart"
     FROM training_sessions WHERE recurring_booking_id = $1 ORDER BY start_time`,
    [recurringBookingId],
  );
}

export async function count(db: TestDatabase, table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(row.n);
}

export interface CronResponse {
  status: number;
  body: { success: boolean; error?: string; runId?: string; data?: Record<string, number | string> };
}

/** Calls the cron endpoint like an external scheduler. */
export async function callCron(server: TestServer, secret: string | null, method: 'GET' | 'POST' = 'GET', scheme = 'Bearer'): Promise<CronResponse> {
  const url = server.url.replace(/\/graphql$/, '/cron/generate-sessions');
  const response = await fetch(url, { method, headers: secret === null ? {} : { authorization: `${scheme} ${secret}` } });
  return { status: response.status, body: (await response.json()) as CronResponse['body'] };
}

/**
 * The weekly occurrences a series should have in [from, to): every `dayOfWeek` from
 * startDate at the wall-clock time in `timezone`, computed date by date.
 */
export function expectedStarts(args: { startDate: string; endDate?: string | null; dayOfWeek: number; time: string; timezone?: string; from: Date; to: Date }): Date[] {
  const out: Date[] = [];
  let date = addDays(args.startDate, (args.dayOfWeek - dayOfWeekOf(args.startDate) + 7) % 7);
  for (;;) {
    if (args.endDate && date > args.endDate) break;
    const start = at(date, args.time, args.timezone ?? 'UTC');
    if (start.getTime() >= args.to.getTime()) break;
    if (start.getTime() >= args.from.getTime()) out.push(start);
    date = addDays(date, 7);
  }
  return out;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;
