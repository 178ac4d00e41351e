import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { DEFAULT_PAGE_SIZE } from '../../services/session-query.service';
import { actorOf, type Context } from '../context';
import { SessionFilter } from '../inputs/session-filter.input';
import { SessionConnection } from '../types/session-connection.type';
import { TrainingSession } from '../types/session.type';

@Resolver()
export class SessionQueryResolver {
  @Authorized(rolesFor('Query.session'))
  @Query(() => TrainingSession, { nullable: true })
  session(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.sessionQueries.get(actorOf(ctx), id);
  }

  @Authorized(rolesFor('Query.sessions'))
  @Query(() => SessionConnection, { description: 'Ordered by (startTime, id); first: 1 to 200; after: an endCursor.' })
  sessions(
    @Ctx() ctx: Context,
    @Arg('filter', () => SessionFilter, { nullable: true }) filter?: SessionFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    // Each node carries its coach, member, room and series (read in the page's statement).
    return ctx.services.sessionQueries.page(actorOf(ctx), filter, first ?? DEFAULT_PAGE_SIZE, after);
  }
}
