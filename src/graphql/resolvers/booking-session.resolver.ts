import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { actorOf, type Context } from '../context';
import { BookSessionInput } from '../inputs/booking-session.input';
import { TrainingSession } from '../types/session.type';

/** One-off sessions; relation fields come from SessionResolver. */
@Resolver()
export class BookingSessionResolver {
  @Authorized(rolesFor('Mutation.bookSession'))
  @Mutation(() => TrainingSession)
  bookSession(@Ctx() ctx: Context, @Arg('input') input: BookSessionInput) {
    return ctx.services.sessionBookings.book(actorOf(ctx), input);
  }
}
