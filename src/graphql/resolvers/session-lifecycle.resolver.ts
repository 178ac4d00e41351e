import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { actorOf, type Context } from '../context';
import { TrainingSession } from '../types/session.type';

/** cancel / complete / no-show / reschedule: the lifecycle rules live in SessionService and domain/lifecycle.ts. */
@Resolver()
export class SessionLifecycleResolver {
  @Authorized(rolesFor('Mutation.cancelSession'))
  @Mutation(() => TrainingSession)
  cancelSession(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return ctx.services.sessionLifecycle.cancel(actorOf(ctx), id, reason);
  }

  @Authorized(rolesFor('Mutation.completeSession'))
  @Mutation(() => TrainingSession)
  completeSession(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.sessionLifecycle.complete(actorOf(ctx), id);
  }

  @Authorized(rolesFor('Mutation.markNoShow'))
  @Mutation(() => TrainingSession)
  markNoShow(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.sessionLifecycle.markNoShow(actorOf(ctx), id);
  }

  @Authorized(rolesFor('Mutation.rescheduleSession'))
  @Mutation(() => TrainingSession)
  rescheduleSession(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('startTime', () => Date) startTime: Date) {
    return ctx.services.sessionLifecycle.reschedule(actorOf(ctx), id, startTime);
  }
}
