import { canSee, type Actor } from '../domain/lifecycle';

/** What a `sessionChanged` subscriber asked for; both optional. */
export interface SessionSubscriptionArgs {
  coachId?: string | null;
  memberId?: string | null;
}

/**
 * Does this subscriber receive a change of this session? Only sessions the actor may
 * see (members their own, coaches theirs, owners all); the arguments narrow further and
 * never widen, so a member naming another member's id simply receives nothing.
 */
export function receivesSessionChange(actor: Actor, args: SessionSubscriptionArgs, session: { coachId: string; memberId: string }): boolean {
  if (!canSee(actor, session)) return false;
  if (args.coachId && args.coachId !== session.coachId) return false;
  if (args.memberId && args.memberId !== session.memberId) return false;
  return true;
}
