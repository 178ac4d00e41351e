import 'reflect-metadata';
import { BillingResolver, ChargeResolver, CreditPackResolver, MemberStatementResolver, RevenueLineResolver } from './resolvers/billing.resolver';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';
import { AuthChecker } from './auth-checker';
import { ClassQueryResolver } from './resolvers/class-query.resolver';
import { ClassSubscriptionResolver } from './resolvers/class-subscription.resolver';
import { ClassScheduleResolver, StandingReservationResolver } from './resolvers/class-schedule.resolver';
import { ClassSessionResolver } from './resolvers/class-session.resolver';
import { ClassTypeResolver } from './resolvers/class-type.resolver';
import { StudioSettingsResolver } from './resolvers/studio-settings.resolver';
import { EnrollmentResolver, EnrollmentStatusChangeResolver } from './resolvers/enrollment.resolver';
import {
  AvailabilityAdditionResolver,
  AvailabilityBlockResolver,
  CoachAvailabilityResolver,
  WeeklyAvailabilityResolver,
} from './resolvers/availability.resolver';
import { CalendarFeedResolver } from './resolvers/calendar-feed.resolver';
import { WebhookResolver } from './resolvers/webhook.resolver';
import { BookingSessionResolver } from './resolvers/booking-session.resolver';
import { CoachSettingsResolver } from './resolvers/coach-settings.resolver';
import { GenerationResolver } from './resolvers/generation.resolver';
import { RecurringBookingResolver, SeriesPauseResolver, SessionRecurringBookingResolver } from './resolvers/recurring-booking.resolver';
import { RoomResolver } from './resolvers/room.resolver';
import { SessionQueryResolver } from './resolvers/session-query.resolver';
import { SessionResolver, SessionStatusChangeResolver } from './resolvers/session.resolver';
import { CoachUtilizationResolver, StatsResolver } from './resolvers/stats.resolver';
import { UserResolver } from './resolvers/user.resolver';
import { AuthResolver } from './resolvers/auth.resolver';
import { SessionLifecycleResolver } from './resolvers/session-lifecycle.resolver';
import { SubscriptionResolver } from './resolvers/subscription.resolver';
import { NotificationResolver } from './resolvers/notification.resolver';
import { LocalPubSub } from './pubsub';
import { trackResolverWork } from './resolver-work';
import { DateTime } from './scalars';
import { validateArgs } from './validate-args';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  UserResolver,
  RoomResolver,
  CoachSettingsResolver,
  SessionResolver,
  SessionStatusChangeResolver,
  RecurringBookingResolver,
  SeriesPauseResolver,
  SessionRecurringBookingResolver,
  GenerationResolver,
  SessionQueryResolver,
  StatsResolver,
  CoachUtilizationResolver,
  WeeklyAvailabilityResolver,
  AvailabilityAdditionResolver,
  AvailabilityBlockResolver,
  CoachAvailabilityResolver,
  BookingSessionResolver,
  SessionLifecycleResolver,
  SubscriptionResolver,
  CalendarFeedResolver,
  WebhookResolver,
  AuthResolver,
  NotificationResolver,
  BillingResolver,
  ChargeResolver,
  CreditPackResolver,
  MemberStatementResolver,
  RevenueLineResolver,
  ClassTypeResolver,
  ClassSessionResolver,
  ClassScheduleResolver,
  StandingReservationResolver,
  ClassQueryResolver,
  ClassSubscriptionResolver,
  EnrollmentResolver,
  EnrollmentStatusChangeResolver,
  StudioSettingsResolver,
];

/**
 * The executable schema; the same one emits schema.graphql (scripts/emit-schema.ts).
 * Subscriptions read `pubSub`: the app passes the one its event relay feeds.
 */
export async function createSchema(pubSub: PubSub = new LocalPubSub()): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    pubSub,
    authChecker: AuthChecker,
    validateFn: validateArgs,
    scalarsMap: [{ type: Date, scalar: DateTime }],
  });
  return trackResolverWork(schema);
}
