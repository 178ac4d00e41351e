import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Context } from '../context';
import { GenerationResult, GenerationRun } from '../types/generation.type';

@Resolver()
export class GenerationResolver {
  @Authorized(rolesFor('Mutation.generateSessions'))
  @Mutation(() => GenerationResult, { description: 'Owners only: the same service the scheduler and the cron endpoint call.' })
  generateSessions(@Ctx() ctx: Context) {
    return ctx.services.generation.run('MUTATION');
  }

  @Authorized(rolesFor('Query.generationRuns'))
  @Query(() => [GenerationRun], { description: 'The most recent runs, newest first (last: 1 to 100).' })
  generationRuns(@Ctx() ctx: Context, @Arg('last', () => Int, { nullable: true, defaultValue: 20 }) last?: number | null) {
    return ctx.services.generation.runs(last ?? 20);
  }
}
