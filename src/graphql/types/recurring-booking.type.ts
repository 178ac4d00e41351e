import { Field, ID, Int, ObjectType } from 'type-graphql';
import { RecurringBookingStatus } from '../enums';
import { LocalDate, LocalTime } from '../scalars';
import { Room } from './room.type';
import { User } from './user.type';

/**
 * "Every <dayOfWeek> from startTime to endTime", wall-clock time in `timezone`.
 * The root is the Prisma row: relations, times (stored as minutes) and dates (stored as
 * DATE) are resolved in RecurringBookingResolver, as is `sessions`.
 */
@ObjectType()
export class RecurringBooking {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  member!: User;

  @Field(() => User)
  coach!: User;

  @Field(() => Room)
  room!: Room;

  @Field(() => Int)
  dayOfWeek!: number;

  @Field(() => LocalTime)
  startTime!: string;

  @Field(() => LocalTime)
  endTime!: string;

  @Field()
  timezone!: string;

  @Field(() => LocalDate)
  startDate!: string;

  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;

  @Field(() => RecurringBookingStatus)
  status!: RecurringBookingStatus;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  cancelledAt?: Date | null;

  @Field(() => String, { nullable: true })
  cancellationReason?: string | null;

  @Field(() => Int)
  intervalWeeks!: number;

  @Field(() => Int, { nullable: true })
  occurrences?: number | null;
}

/** Occurrences on dates from..to (inclusive, the series' timezone) are not held. Root: the Prisma row. */
@ObjectType()
export class SeriesPause {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDate)
  from!: string;

  @Field(() => LocalDate)
  to!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field()
  createdAt!: Date;
}
