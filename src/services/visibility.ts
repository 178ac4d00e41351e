import type { Actor } from '../auth/actor';
import { canSee } from '../domain/lifecycle';
import { isUuid } from '../domain/ids';

/**
 * Who sees which bookings and sessions: members their own, coaches theirs, owners all
 * (the policy table's 'own'). Shared by every read of series and sessions, so a list,
 * a lookup by id and a relation field all narrow the same way.
 */

/** The parties a query is narrowed to; an empty object means "everyone". */
export interface PartyScope {
  coachId?: string;
  memberId?: string;
}

export { isUuid };

/** Can the actor see a record with these parties? */
export function canSeeParties(actor: Actor, record: { coachId: string; memberId: string }): boolean {
  return canSee(actor, record);
}

/**
 * The requested coach/member filters combined with what the actor may see. Arguments
 * narrow, never widen: a member asking for another member's records gets `null`
 * (nothing is visible), not an error that would confirm the other member exists.
 */
export function narrowToActor(actor: Actor, requested: { coachId?: string | null; memberId?: string | null }): PartyScope | null {
  const scope: PartyScope = {};
  if (requested.coachId) scope.coachId = requested.coachId;
  if (requested.memberId) scope.memberId = requested.memberId;
  if (actor.role === 'MEMBER') {
    if (scope.memberId && scope.memberId !== actor.id) return null;
    scope.memberId = actor.id;
  } else if (actor.role === 'COACH') {
    if (scope.coachId && scope.coachId !== actor.id) return null;
    scope.coachId = actor.id;
  }
  return scope;
}
