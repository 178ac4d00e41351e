import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Context } from '../context';
import { loadOrFail } from '../loaders';
import { CoachUtilization, Stats } from '../types/stats.type';
import { User } from '../types/user.type';

@Resolver(() => Stats)
export class StatsResolver {
  @Authorized(rolesFor('Query.stats'))
  @Query(() => Stats)
  stats(@Ctx() ctx: Context) {
    return ctx.services.stats.stats();
  }
}

@Resolver(() => CoachUtilization)
export class CoachUtilizationResolver {
  @FieldResolver(() => User)
  coach(@Root() row: { coachId: string }, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.coachId, 'User');
  }
}
