import { formatLocalTime, parseLocalTime } from '../domain/civil-date';
import { CUTOFF_AFTER_LATE_WINDOW_MINUTES, waitlistPolicyOf, type WaitlistSettingsRow } from '../domain/waitlist-policy';
import { badInput } from '../errors';

/** As the studio_settings checks allow: two weeks of cutoff, offers of 5 minutes to 12 hours. */
export const MAX_AUTO_PROMOTE_CUTOFF_MINUTES = 20_160;
export const MIN_OFFER_MINUTES = 5;
export const MAX_OFFER_MINUTES = 720;

export interface WaitlistPolicyView {
  autoPromoteCutoffMinutes: number;
  offerMinutes: number;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
}

/** A field given as null means "back to none / the default"; a field left out (undefined) keeps its value. */
export interface WaitlistPolicyIn {
  autoPromoteCutoffMinutes?: number | null;
  offerMinutes?: number | null;
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
}

type Columns = Pick<WaitlistSettingsRow, 'autoPromoteCutoffMinutes' | 'offerMinutes' | 'quietHoursStartMinute' | 'quietHoursEndMinute'>;

export const DEFAULT_WAITLIST_COLUMNS: Columns = { autoPromoteCutoffMinutes: null, offerMinutes: 30, quietHoursStartMinute: null, quietHoursEndMinute: null };

export function waitlistView(row: WaitlistSettingsRow): WaitlistPolicyView {
  const policy = waitlistPolicyOf(row);
  return {
    autoPromoteCutoffMinutes: policy.autoPromoteCutoffMinutes,
    offerMinutes: policy.offerMinutes,
    quietHoursStart: policy.quietHours ? formatLocalTime(policy.quietHours.startMinute) : null,
    quietHoursEnd: policy.quietHours ? formatLocalTime(policy.quietHours.endMinute) : null,
  };
}

const FIELD = 'input.waitlist';

/** The columns a change writes, checked against the current ones (quiet hours are both set or both none). */
export function waitlistColumns(input: WaitlistPolicyIn, current: Columns): Partial<Columns> {
  const out: Partial<Columns> = {};
  if (input.autoPromoteCutoffMinutes !== undefined) {
    const m = input.autoPromoteCutoffMinutes;
    if (m != null && (!Number.isInteger(m) || m < 0 || m > MAX_AUTO_PROMOTE_CUTOFF_MINUTES)) {
      throw badInput(`${FIELD}.autoPromoteCutoffMinutes`, `The cutoff must be between 0 and ${MAX_AUTO_PROMOTE_CUTOFF_MINUTES} minutes (null: the late-cancel window + ${CUTOFF_AFTER_LATE_WINDOW_MINUTES})`);
    }
    out.autoPromoteCutoffMinutes = m ?? null;
  }
  if (input.offerMinutes != null) {
    const m = input.offerMinutes;
    if (!Number.isInteger(m) || m < MIN_OFFER_MINUTES || m > MAX_OFFER_MINUTES) {
      throw badInput(`${FIELD}.offerMinutes`, `An offer lasts between ${MIN_OFFER_MINUTES} and ${MAX_OFFER_MINUTES} minutes`);
    }
    out.offerMinutes = m;
  }
  const minuteOf = (key: 'quietHoursStart' | 'quietHoursEnd', column: 'quietHoursStartMinute' | 'quietHoursEndMinute') => {
    if (input[key] === undefined) return current[column];
    const text = input[key];
    if (text == null) return null;
    const minute = parseLocalTime(text);
    if (minute === null) throw badInput(`${FIELD}.${key}`, 'A time of day, HH:mm (00:00 to 23:59)');
    return minute;
  };
  const start = minuteOf('quietHoursStart', 'quietHoursStartMinute');
  const end = minuteOf('quietHoursEnd', 'quietHoursEndMinute');
  if ((start === null) !== (end === null)) {
    throw badInput(`${FIELD}.${start === null ? 'quietHoursStart' : 'quietHoursEnd'}`, 'Quiet hours need both a start and an end (or neither)');
  }
  if (start !== null && start === end) throw badInput(`${FIELD}.quietHoursEnd`, 'Quiet hours must not start and end at the same time');
  if (input.quietHoursStart !== undefined || input.quietHoursEnd !== undefined) {
    out.quietHoursStartMinute = start;
    out.quietHoursEndMinute = end;
  }
  return out;
}
