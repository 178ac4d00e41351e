import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DeliveryStatus, NotificationKind } from '../enums';
import { RecurringBooking } from './recurring-booking.type';
import { PageInfo } from './session-connection.type';
import { TrainingSession } from './session.type';

/** session and recurringBooking are resolved in NotificationResolver. */
@ObjectType({ simpleResolvers: true })
export class Notification {
  @Field(() => ID)
  id!: string;

  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field(() => TrainingSession, { nullable: true })
  session?: TrainingSession | null;

  @Field(() => RecurringBooking, { nullable: true })
  recurringBooking?: RecurringBooking | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  readAt?: Date | null;

  @Field(() => DeliveryStatus, { description: 'The email copy: SKIPPED when the person opted out, has no address, or no SMTP is set.' })
  emailStatus!: DeliveryStatus;
}

@ObjectType({ simpleResolvers: true })
export class NotificationEdge {
  @Field()
  cursor!: string;

  @Field(() => Notification)
  node!: Notification;
}

@ObjectType({ simpleResolvers: true })
export class NotificationConnection {
  @Field(() => [NotificationEdge])
  edges!: NotificationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;

  @Field(() => Int)
  unreadCount!: number;
}

@ObjectType({ simpleResolvers: true })
export class NotificationPreferences {
  @Field()
  emailConfirmations!: boolean;

  @Field()
  emailReminders!: boolean;

  @Field()
  emailCancellations!: boolean;

  @Field()
  emailBilling!: boolean;

  @Field(() => [Int], { description: 'Minutes before a session start at which a reminder is sent (each 5-10080).' })
  reminderLeadMinutes!: number[];
}
