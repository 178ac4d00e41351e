import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { GenerationRun as GenerationRunRow } from '../../generated/prisma/client';
import { receivesSessionChange, type SessionSubscriptionArgs } from '../session-audience';
import { actorOf, type Context } from '../context';
import { primeSessionRelations } from '../loaders';
import { TOPICS, type Accepts, type SessionChangePayload } from '../pubsub';
import { GenerationRun } from '../types/generation.type';
import { SessionChangeEvent } from '../types/session-change-event.type';
import { Notification } from '../types/notification.type';
import type { Notification as NotificationRow } from '../../generated/prisma/client';

/**
 * Live updates over graphql-ws. The events come from every instance (events/relay.ts);
 * the filter decides per subscriber what it may receive.
 */
@Resolver()
export class SubscriptionResolver {
  @Authorized(rolesFor('Subscription.sessionChanged'))
  @Subscription(() => SessionChangeEvent, {
    topics: TOPICS.sessionChanged,
    // LocalPubSub takes the topicId as the subscriber's filter, applied on publish.
    topicId: ({ args, context }: SubscribeResolverData<unknown, SessionSubscriptionArgs, Context>): Accepts => {
      const actor = actorOf(context);
      return (payload: SessionChangePayload) => receivesSessionChange(actor, args, payload.session);
    },
  })
  sessionChanged(
    @Root() event: SessionChangePayload,
    @Ctx() ctx: Context,
    @Arg('coachId', () => ID, { nullable: true }) _coachId?: string | null,
    @Arg('memberId', () => ID, { nullable: true }) _memberId?: string | null,
  ): SessionChangePayload {
    // graphql-ws builds the context once per subscription: resolve each event against fresh
    // loaders (nothing stale, nothing piling up), primed with what the relay already loaded.
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    primeSessionRelations(ctx.loaders, event.session);
    return event;
  }

  @Authorized(rolesFor('Subscription.generationRunFinished'))
  @Subscription(() => GenerationRun, { topics: TOPICS.generationRunFinished })
  generationRunFinished(@Root() run: GenerationRunRow): GenerationRunRow {
    return run;
  }

  /** The caller's own notifications as they are created, on whichever instance. */
  @Authorized(rolesFor('Subscription.notificationReceived'))
  @Subscription(() => Notification, {
    topics: TOPICS.notificationReceived,
    topicId: ({ context }: SubscribeResolverData<unknown, unknown, Context>): Accepts => {
      const actor = actorOf(context);
      return (payload: NotificationRow) => payload.userId === actor.id;
    },
  })
  notificationReceived(@Root() notification: NotificationRow, @Ctx() ctx: Context): NotificationRow {
    for (const loader of Object.values(ctx.loaders)) loader.clearAll();
    return notification;
  }
}
