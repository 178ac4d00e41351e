import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { DEFAULT_PAGE_SIZE } from '../../services/session-query.service';
import { actorOf, type Context } from '../context';
import { ClassSessionFilter, EnrollmentFilter } from '../inputs/class.input';
import { ClassSessionConnection, EnrollmentConnection } from '../types/class-session.type';

/** The timetable and a member's enrollments, in pages (reads in ClassQueryService). */
@Resolver()
export class ClassQueryResolver {
  @Authorized(rolesFor('Query.classSessions'))
  @Query(() => ClassSessionConnection, { description: 'Ordered by (startTime, id); first: 1 to 200; after: an endCursor.' })
  async classSessions(
    @Ctx() ctx: Context,
    @Arg('filter', () => ClassSessionFilter, { nullable: true }) filter?: ClassSessionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    const page = await ctx.services.classQueries.classes(filter, first ?? DEFAULT_PAGE_SIZE, after);
    // The page read the place counts: bookedCount / waitlistCount / spotsLeft cost no query.
    for (const { node } of page.edges) ctx.loaders.classPlaces.prime(node.id, { held: node.held, waitlisted: node.waitlisted });
    return page;
  }

  @Authorized(rolesFor('Query.enrollments'))
  @Query(() => EnrollmentConnection, { description: "The caller's own enrollments (owners: memberId for anyone's), ordered by the class's start." })
  enrollments(
    @Ctx() ctx: Context,
    @Arg('filter', () => EnrollmentFilter, { nullable: true }) filter?: EnrollmentFilter | null,
    @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.classQueries.enrollments(actorOf(ctx), filter, memberId, first ?? DEFAULT_PAGE_SIZE, after);
  }
}
