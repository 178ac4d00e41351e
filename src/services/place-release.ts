import type { Actor } from '../auth/actor';
import { ClassLedger } from '../billing/class-ledger';
import type { Tx } from '../db/transaction';
import { waitlistPolicyOf, type WaitlistPolicy } from '../domain/waitlist-policy';
import type { EnrollmentStatus } from '../generated/prisma/client';
import { Notifier } from '../notifications/notifier';
import { changeEnrollments } from './class-writes';
import type { ServiceDeps } from './context';
import { promoted } from './class-events';
import { fillFreedPlaces } from './waitlist-promotion';

export interface StudioClassRules {
  lateCancelWindowMinutes: number;
  policy: WaitlistPolicy;
}

export async function studioClassRules(tx: Tx): Promise<StudioClassRules> {
  const row = await tx.studioSettings.findUnique({ where: { id: 1 } });
  if (!row) throw new Error('studio_settings row missing (inserted at start)');
  return { lateCancelWindowMinutes: row.lateCancelWindowMinutes, policy: waitlistPolicyOf(row) };
}

/**
 * THE sequence for places given up in one class (an enrollment cancelled, a standing
 * reservation cancelled): CANCELLED, or LATE_CANCELLED with its fee when a member gives up a
 * booked place inside the late-cancel window; then the freed places go through the one
 * promotion routine, and fees of earlier late cancellers are waived once their place is
 * taken again. The caller holds the class's lock and has checked the enrollments are open.
 * Returns the enrollments promoted (for live events) and the notifications written.
 */
export async function releasePlaces(
  tx: Tx,
  deps: ServiceDeps,
  cls: { id: string; startTime: Date },
  places: readonly { id: string; status: EnrollmentStatus }[],
  change: { actor: Pick<Actor, 'id' | 'role'>; now: Date; reason?: string | null; rules: StudioClassRules },
): Promise<{ promoted: string[]; notified: string[] }> {
  const { actor, now, rules } = change;
  const late = actor.role === 'MEMBER' && cls.startTime.getTime() - now.getTime() < rules.lateCancelWindowMinutes * 60_000;
  const lateIds = late ? places.filter((p) => p.status === 'BOOKED').map((p) => p.id) : [];
  const otherIds = places.filter((p) => !lateIds.includes(p.id)).map((p) => p.id);
  const history = { actorId: actor.id, now, reason: change.reason ?? null };
  await changeEnrollments(tx, lateIds, ['BOOKED'], { ...history, to: 'LATE_CANCELLED' });
  await changeEnrollments(tx, otherIds, ['BOOKED', 'WAITLISTED', 'OFFERED'], { ...history, to: 'CANCELLED' });
  const ledger = new ClassLedger(deps);
  const notified = lateIds.length > 0 ? await ledger.charged(tx, lateIds, 'LATE_CANCELLED', { actorId: actor.id, now }) : [];
  const moved = promoted(await fillFreedPlaces(tx, cls.id, rules.policy, deps.config.studioTimezone, now));
  notified.push(...(await new Notifier(deps).classChanges(tx, moved, now)));
  notified.push(...(await ledger.waiveRefilled(tx, cls.id, { now })));
  return { promoted: moved, notified };
}
