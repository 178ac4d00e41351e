/**
 * The clock of a waitlist offer: no offer is made inside the studio's quiet hours, and an
 * offer's minutes do not run there (21:50 + 30 min with quiet hours 22:00-07:00 -> 07:20).
 * Quiet hours are wall-clock minutes in the studio's timezone, so they follow DST; a window
 * whose end is not after its start runs past midnight.
 */
import { MS_PER_MINUTE } from './civil-date';
import { localDayOfMs, zonedToMs, zoneOf, type Zone } from './zone-time';

export interface QuietHours {
  startMinute: number;
  endMinute: number;
}

/** The quiet window [start, end) that opens on local day `day`. */
function windowOf(zone: Zone, day: number, quiet: QuietHours): [number, number] {
  const start = zonedToMs(zone, day, quiet.startMinute);
  const end = zonedToMs(zone, quiet.endMinute > quiet.startMinute ? day : day + 1, quiet.endMinute);
  return [start, end];
}

/** The quiet window containing `ms`, or null. */
export function quietWindowAt(ms: number, quiet: QuietHours | null, timezone: string): [number, number] | null {
  if (!quiet) return null;
  const zone = zoneOf(timezone);
  const today = localDayOfMs(zone, ms);
  for (const day of [today - 1, today]) {
    const [start, end] = windowOf(zone, day, quiet);
    if (start <= ms && ms < end) return [start, end];
  }
  return null;
}

/** The instant an offer can be made at or after `ms`: `ms` itself, or the end of the quiet hours it falls in. */
export function nextOfferInstant(ms: number, quiet: QuietHours | null, timezone: string): number {
  return quietWindowAt(ms, quiet, timezone)?.[1] ?? ms;
}

/** When an offer made at `madeAt` for `minutes` expires, its clock stopped during quiet hours. */
export function offerExpiresAt(madeAt: number, minutes: number, quiet: QuietHours | null, timezone: string): number {
  let left = minutes * MS_PER_MINUTE;
  if (!quiet) return madeAt + left;
  const zone = zoneOf(timezone);
  let t = nextOfferInstant(madeAt, quiet, timezone);
  for (;;) {
    // The next quiet window to open after t (t itself is outside quiet hours here).
    const today = localDayOfMs(zone, t);
    const next = [today, today + 1, today + 2].map((day) => windowOf(zone, day, quiet)).find(([start]) => start > t)!;
    if (t + left <= next[0]) return t + left;
    left -= next[0] - t;
    t = next[1];
  }
}
