import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalTime } from '../scalars';
import { User } from './user.type';

/**
 * Weekly hours, wall-clock in the studio's timezone; dayOfWeek 0 = Sunday. The root is
 * the database row (minutes since midnight): startTime, endTime and coach are resolved
 * in WeeklyAvailabilityResolver.
 */
@ObjectType({ simpleResolvers: true })
export class WeeklyAvailability {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  coach!: User;

  @Field(() => Int)
  dayOfWeek!: number;

  @Field(() => LocalTime)
  startTime!: string;

  @Field(() => LocalTime)
  endTime!: string;
}

/** An extra window in which the coach can be booked, outside the weekly hours. `note`: the coach's and owners' only (resolver). */
@ObjectType({ simpleResolvers: true })
export class AvailabilityAddition {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  coach!: User;

  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

/** A window in which the coach cannot be booked (holiday, sickness). `reason`: the coach's and owners' only (resolver). */
@ObjectType({ simpleResolvers: true })
export class AvailabilityBlock {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  coach!: User;

  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

/** A bookable window, [startTime, endTime) in UTC. */
@ObjectType({ simpleResolvers: true })
export class TimeSlot {
  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;
}
