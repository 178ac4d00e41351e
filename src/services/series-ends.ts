import type { Tx } from '../db/transaction';
import { localDateOf } from '../domain/zone-time';
import { countLimitedEndDate } from '../domain/series-count';
import { inPause, type SeriesPauseDates } from '../domain/series-pauses';

/**
 * The derived endDate of count-limited series (RecurringBooking.occurrences), kept in the
 * end_date column so everything that reads a series' dates (generation, overlap checks,
 * the API) sees one value. What the studio took away, per occurrence (so a date counts
 * once however many runs see it):
 *   - occurrences generation could not hold (series_taken_away: a block, a clash);
 *   - sessions cancelled by anyone but the member (the coach, an owner, a block added
 *     later) or as PAUSED: the member's own cancellation counts as delivered;
 *   - dates inside a pause of the series.
 * A series that was changed from a date on (it has a replacement) keeps the end the change
 * gave it. Three statements whatever the number of series.
 */

/** Pauses of the given series, by series id. */
export async function pausesOf(tx: Tx, seriesIds: string[]): Promise<Map<string, SeriesPauseDates[]>> {
  const out = new Map<string, SeriesPauseDates[]>();
  if (seriesIds.length === 0) return out;
  const rows = await tx.$queryRaw<{ rb: string; from: string; to: string }[]>`
    SELECT recurring_booking_id::text AS rb, to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to"
    FROM series_pauses WHERE recurring_booking_id = ANY(${seriesIds}::uuid[])`;
  for (const row of rows) {
    const list = out.get(row.rb);
    if (list) list.push(row);
    else out.set(row.rb, [row]);
  }
  return out;
}

interface CountedSeries {
  id: string;
  dayOfWeek: number;
  timezone: string;
  startDate: string;
  endDate: string | null;
  intervalWeeks: number;
  occurrences: number;
}

/**
 * Recomputes the end of the ACTIVE count-limited series among `scope` (all when null) and
 * stores the ones that moved; returns their ids.
 */
export async function refreshCountLimitedEnds(tx: Tx, scope: string[] | null): Promise<string[]> {
  const series = await tx.$queryRaw<CountedSeries[]>`
    SELECT b.id::text, b.day_of_week AS "dayOfWeek", b.timezone, to_char(b.start_date, 'YYYY-MM-DD') AS "startDate",
           to_char(b.end_date, 'YYYY-MM-DD') AS "endDate", b.interval_weeks AS "intervalWeeks", b.occurrences
    FROM recurring_bookings b
    WHERE b.status = 'ACTIVE' AND b.occurrences IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM recurring_bookings r WHERE r.replaces_id = b.id)
      AND (${scope}::uuid[] IS NULL OR b.id = ANY(${scope}::uuid[]))`;
  if (series.length === 0) return [];
  const ids = series.map((s) => s.id);
  const taken = await tx.$queryRaw<{ rb: string; ms: number }[]>`
    SELECT recurring_booking_id::text AS rb, (extract(epoch FROM occurrence_start) * 1000)::float8 AS ms
    FROM series_taken_away WHERE recurring_booking_id = ANY(${ids}::uuid[])
    UNION
    SELECT t.recurring_booking_id::text, (extract(epoch FROM t.occurrence_start) * 1000)::float8
    FROM training_sessions t
    WHERE t.recurring_booking_id = ANY(${ids}::uuid[]) AND t.status = 'CANCELLED'
      AND (t.cancellation_reason = 'PAUSED' OR NOT EXISTS (
        SELECT 1 FROM session_status_changes c WHERE c.session_id = t.id AND c.to_status = 'CANCELLED' AND c.actor_id = t.member_id))`;
  const pauses = await pausesOf(tx, ids);
  const byId = new Map(series.map((s) => [s.id, s]));
  const takenDates = new Map<string, Set<string>>();
  for (const row of taken) {
    const s = byId.get(row.rb)!;
    const dates = takenDates.get(row.rb) ?? new Set<string>();
    dates.add(localDateOf(new Date(row.ms), s.timezone));
    takenDates.set(row.rb, dates);
  }
  const moved: { id: string; endDate: string }[] = [];
  for (const s of series) {
    const dates = takenDates.get(s.id);
    const list = pauses.get(s.id);
    const endDate = countLimitedEndDate(s, s.occurrences, (date) => (dates?.has(date) ?? false) || inPause(list, date));
    if (endDate !== s.endDate) moved.push({ id: s.id, endDate });
  }
  if (moved.length > 0) {
    await tx.$executeRaw`
      UPDATE recurring_bookings b SET end_date = m.d
      FROM unnest(${moved.map((m) => m.id)}::uuid[], ${moved.map((m) => m.endDate)}::date[]) AS m(id, d)
      WHERE b.id = m.id`;
  }
  return moved.map((m) => m.id);
}

/**
 * After sessions were cancelled (by a person or a block): the count-limited series among
 * theirs make the occurrence up at once, so endDate is current when the mutation returns.
 */
export async function refreshEndsOfSessions(tx: Tx, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT t.recurring_booking_id::text AS id FROM training_sessions t
    JOIN recurring_bookings b ON b.id = t.recurring_booking_id
    WHERE t.id = ANY(${sessionIds}::uuid[]) AND b.occurrences IS NOT NULL`;
  if (rows.length > 0) await refreshCountLimitedEnds(tx, rows.map((r) => r.id));
}
