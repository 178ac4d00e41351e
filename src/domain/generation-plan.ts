/**
 * What a generation run decides in TypeScript (pure: the reads and writes are in
 * services/generation.sql.ts, the order of steps and the locks in generation.service.ts):
 * which series have ended, which occurrences of the live ones fall inside the horizon and
 * were not taken away, which of those a pause or a block skips, and the order in which the
 * rest are placed (placeSessions, occupancy.ts, decides coach/member/room clashes).
 */
import { Occupancy, type Placement } from './occupancy';
import { inPause, type SeriesPauseDates } from './series-pauses';
import { occurrencesBetween, type WeeklyRule } from './weekly-rule';
import { localDateOf } from './zone-time';

export const WEEK_MS = 7 * 86_400_000;

/** An ACTIVE series as a run reads it. */
export interface PlannedSeries extends Required<WeeklyRule> {
  id: string;
  coachId: string;
  memberId: string;
  roomId: string;
  /** Count-limited series: how many sessions it delivers; null = limited by dates only. */
  occurrences: number | null;
}

/** One occurrence that may become a session. */
export interface Candidate extends Placement {
  recurringBookingId: string;
  localDate: string;
}

/** A block of a coach's time, in epoch ms. */
export interface CoachBlock {
  coachId: string;
  s: number;
  e: number;
}

/** The end of the horizon a run generates into: `weeks` whole weeks after `now`. */
export function horizonEnd(now: Date, weeks: number): Date {
  return new Date(now.getTime() + weeks * WEEK_MS);
}

/** Today's local date in the series' zone; UTC's for a zone this runtime does not know. */
export function localToday(now: Date, timezone: string): string {
  try {
    return localDateOf(now, timezone);
  } catch {
    return localDateOf(now, 'UTC');
  }
}

/** Series whose last date has passed in their own zone end; the others stay live. */
export function splitEnded<S extends Pick<PlannedSeries, 'id' | 'endDate' | 'timezone'>>(series: readonly S[], now: Date): { live: S[]; ended: string[] } {
  const live: S[] = [];
  const ended: string[] = [];
  for (const s of series) {
    if (s.endDate !== null && s.endDate < localToday(now, s.timezone)) ended.push(s.id);
    else live.push(s);
  }
  return { live, ended };
}

/** The key of one occurrence of one series (series id, start instant). */
export function occurrenceKey(recurringBookingId: string, startMs: number): string {
  return `${recurringBookingId}|${startMs}`;
}

/**
 * Occurrences of the live series starting in [from, to), in series order then time, except
 * the ones in `takenAway` (occurrenceKey). A series whose rule cannot be expanded (a row no
 * API could have written) is listed in `invalid` and contributes nothing.
 */
export function occurrenceCandidates(
  live: readonly PlannedSeries[],
  from: Date,
  to: Date,
  takenAway: ReadonlySet<string>,
): { candidates: Candidate[]; invalid: { recurringBookingId: string; error: unknown }[] } {
  const candidates: Candidate[] = [];
  const invalid: { recurringBookingId: string; error: unknown }[] = [];
  for (const s of live) {
    let occurrences;
    try {
      occurrences = occurrencesBetween(s, from, to);
    } catch (error) {
      invalid.push({ recurringBookingId: s.id, error });
      continue;
    }
    for (const o of occurrences) {
      if (takenAway.has(occurrenceKey(s.id, o.start.getTime()))) continue;
      candidates.push({ recurringBookingId: s.id, coachId: s.coachId, memberId: s.memberId, roomId: s.roomId, start: o.start.getTime(), end: o.end.getTime(), localDate: o.localDate });
    }
  }
  return { candidates, invalid };
}

/** Candidates grouped by series (first-seen order), with the span of their start instants. */
export function groupBySeries(candidates: readonly Candidate[]): { bySeries: Map<string, Candidate[]>; firstStart: Date; lastStart: Date } {
  const bySeries = new Map<string, Candidate[]>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    const list = bySeries.get(c.recurringBookingId);
    if (list) list.push(c);
    else bySeries.set(c.recurringBookingId, [c]);
    if (c.start < first) first = c.start;
    if (c.start > last) last = c.start;
  }
  return { bySeries, firstStart: new Date(first), lastStart: new Date(last) };
}

/** The candidates of the given series (in that order) that have no session yet (`existing`: occurrenceKey). */
export function withoutExisting(seriesIds: readonly string[], bySeries: ReadonlyMap<string, Candidate[]>, existing: ReadonlySet<string>): Candidate[] {
  return seriesIds.flatMap((id) => bySeries.get(id)!.filter((c) => !existing.has(occurrenceKey(id, c.start))));
}

/** Drops the candidates on a paused local date of their series. */
export function outsidePauses(candidates: readonly Candidate[], pauses: ReadonlyMap<string, readonly SeriesPauseDates[]>): Candidate[] {
  return candidates.filter((c) => !inPause(pauses.get(c.recurringBookingId), c.localDate));
}

/** From the first start to the last end of the candidates (none: an empty, inverted span). */
export function sessionSpan(candidates: readonly Pick<Placement, 'start' | 'end'>[]): { from: Date; to: Date } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    if (c.start < first) first = c.start;
    if (c.end > last) last = c.end;
  }
  return { from: new Date(first), to: new Date(last) };
}

/** Candidates overlapping a block of their coach are skipped (BLOCKED); the rest stay open, in order. */
export function splitBlocked<C extends Placement>(candidates: readonly C[], blocks: readonly CoachBlock[]): { open: C[]; blocked: C[] } {
  const occupied = new Occupancy();
  for (const b of blocks) occupied.add(b.coachId, b.s, b.e);
  const open: C[] = [];
  const blocked: C[] = [];
  for (const c of candidates) {
    if (occupied.isFree(c.coachId, c.start, c.end)) open.push(c);
    else blocked.push(c);
  }
  return { open, blocked };
}

/** The order candidates are placed in: by start, then series id, so the same run decides the same way. */
export function byPlacementOrder(a: Candidate, b: Candidate): number {
  return a.start - b.start || (a.recurringBookingId < b.recurringBookingId ? -1 : a.recurringBookingId > b.recurringBookingId ? 1 : 0);
}
