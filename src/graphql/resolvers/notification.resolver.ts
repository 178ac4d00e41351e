import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Notification as NotificationRow } from '../../generated/prisma/client';
import { DEFAULT_NOTIFICATIONS_PAGE } from '../../services/notification.service';
import { actorOf, type Context } from '../context';
import { NotificationPreferencesInput } from '../inputs/notification-preferences.input';
import { RecurringBooking } from '../types/recurring-booking.type';
import { TrainingSession } from '../types/session.type';
import { Notification, NotificationConnection, NotificationPreferences } from '../types/notification.type';

/** The caller's own notifications and preferences; nobody reads or marks another person's. */
@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized(rolesFor('Query.notifications'))
  @Query(() => NotificationConnection, { description: "The caller's own, newest first; first: 1 to 200; after: an endCursor." })
  notifications(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_NOTIFICATIONS_PAGE }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false }) unreadOnly?: boolean | null,
  ) {
    return ctx.services.notifications.page(actorOf(ctx), first ?? DEFAULT_NOTIFICATIONS_PAGE, after, unreadOnly ?? false);
  }

  @Authorized(rolesFor('Query.notificationPreferences'))
  @Query(() => NotificationPreferences)
  notificationPreferences(@Ctx() ctx: Context) {
    return ctx.services.notifications.preferences(actorOf(ctx));
  }

  @Authorized(rolesFor('Mutation.markNotificationsRead'))
  @Mutation(() => Int, { description: "Marks the caller's notifications read: the given ids, or all with all: true. Returns how many changed." })
  markNotificationsRead(
    @Ctx() ctx: Context,
    @Arg('ids', () => [ID], { nullable: true }) ids?: string[] | null,
    @Arg('all', () => Boolean, { nullable: true, defaultValue: false }) all?: boolean | null,
  ) {
    return ctx.services.notifications.markRead(actorOf(ctx), ids, all ?? false);
  }

  @Authorized(rolesFor('Mutation.updateNotificationPreferences'))
  @Mutation(() => NotificationPreferences)
  updateNotificationPreferences(@Ctx() ctx: Context, @Arg('input', () => NotificationPreferencesInput) input: NotificationPreferencesInput) {
    return ctx.services.notifications.updatePreferences(actorOf(ctx), input);
  }

  // Only a notification's recipient ever reads it, and they are a party of its session or
  // series (or an owner): no per-actor check, so these are safe under shared subscription execution.
  @FieldResolver(() => TrainingSession, { nullable: true })
  session(@Root() notification: NotificationRow, @Ctx() ctx: Context) {
    return notification.sessionId ? ctx.loaders.session.load(notification.sessionId) : null;
  }

  @FieldResolver(() => RecurringBooking, { nullable: true })
  recurringBooking(@Root() notification: NotificationRow, @Ctx() ctx: Context) {
    if (!notification.recurringBookingId) return null;
    return ctx.loaders.recurringBooking.load(notification.recurringBookingId);
  }
}
