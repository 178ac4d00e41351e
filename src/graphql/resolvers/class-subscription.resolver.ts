import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { ClassSession as ClassRow, Enrollment as EnrollmentRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../context';
import { receivesClassChange, type ClassSubscriptionArgs } from '../class-audience';
import { TOPICS, type Accepts } from '../pubsub';
import { ClassSession, Enrollment } from '../types/class-session.type';

/** Live classes and enrollments over graphql-ws, from every instance (events/relay.ts). */
@Resolver()
export class ClassSubscriptionResolver {
  @Authorized(rolesFor('Subscription.classSessionChanged'))
  @Subscription(() => ClassSession, {
    topics: TOPICS.classSessionChanged,
    topicId: ({ args }: SubscribeResolverData<unknown, ClassSubscriptionArgs, Context>): Accepts => (cls: ClassRow) => receivesClassChange(args, cls),
    description: 'Places and waitlist of classes in from..to (or one class): for timetables and the front-desk board.',
  })
  classSessionChanged(
    @Root() cls: ClassRow,
    @Ctx() ctx: Context,
    @Arg('sessionId', () => ID, { nullable: true }) _sessionId?: string | null,
    @Arg('from', () => Date, { nullable: true }) _from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) _to?: Date | null,
  ): ClassRow {
    // One context per subscription: fresh loaders per event, so counts are never stale.
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    return cls;
  }

  @Authorized(rolesFor('Subscription.enrollmentChanged'))
  @Subscription(() => Enrollment, {
    topics: TOPICS.enrollmentChanged,
    topicId: ({ context }: SubscribeResolverData<unknown, unknown, Context>): Accepts => {
      const actor = actorOf(context);
      return (enrollment: EnrollmentRow) => enrollment.memberId === actor.id;
    },
    description: "The caller's own enrollments as they change (promotion, offer, expiry, waitlist position).",
  })
  enrollmentChanged(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context): EnrollmentRow {
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    return enrollment;
  }
}
