import { isPublic } from '../auth/policy';

/**
 * Marks a resolver open to callers without a token, as the policy table says. It
 * decorates nothing: it only checks at start-up that the table agrees, so an
 * operation cannot become public by forgetting @Authorized.
 */
export function Public(operation: string): MethodDecorator {
  if (!isPublic(operation)) throw new Error(`${operation} is not public in src/auth/policy.ts: use @Authorized(rolesFor(...))`);
  return () => undefined;
}
