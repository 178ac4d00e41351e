import type { QuietHours } from './offer-clock';

/** The studio's waitlist rules, as the promotion routine applies them. */
export interface WaitlistPolicy {
  autoPromoteCutoffMinutes: number;
  offerMinutes: number;
  quietHours: QuietHours | null;
}

export interface WaitlistSettingsRow {
  lateCancelWindowMinutes: number;
  autoPromoteCutoffMinutes: number | null;
  offerMinutes: number;
  quietHoursStartMinute: number | null;
  quietHoursEndMinute: number | null;
}

/** Default cutoff: the late-cancel window plus an hour, so a promoted member can still cancel free. */
export const CUTOFF_AFTER_LATE_WINDOW_MINUTES = 60;

export function waitlistPolicyOf(row: WaitlistSettingsRow): WaitlistPolicy {
  return {
    autoPromoteCutoffMinutes: row.autoPromoteCutoffMinutes ?? row.lateCancelWindowMinutes + CUTOFF_AFTER_LATE_WINDOW_MINUTES,
    offerMinutes: row.offerMinutes,
    quietHours:
      row.quietHoursStartMinute != null && row.quietHoursEndMinute != null
        ? { startMinute: row.quietHoursStartMinute, endMinute: row.quietHoursEndMinute }
        : null,
  };
}
