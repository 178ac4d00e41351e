import type { AuthCheckerInterface, ResolverData } from 'type-graphql';
import type { Role } from '../domain/lifecycle';
import { forbidden, unauthenticated } from '../errors';
import type { Context } from './context';

/** Backs @Authorized(roles): no actor -> UNAUTHENTICATED, wrong role -> FORBIDDEN. */
export class AuthChecker implements AuthCheckerInterface<Context, Role> {
  check({ context }: ResolverData<Context>, roles: Role[]): boolean {
    if (!context.actor) throw unauthenticated();
    if (roles.length === 0 || roles.includes(context.actor.role)) return true;
    throw forbidden();
  }
}
