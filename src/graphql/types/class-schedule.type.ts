import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ClassScheduleStatus, RecurringBookingStatus } from '../enums';
import { LocalDate, LocalTime } from '../scalars';
import { ClassType } from './class-type.type';
import { Room } from './room.type';
import { User } from './user.type';

/** "Every <dayOfWeek> <startTime>-<endTime>" in `timezone`; relations, times and dates resolved in ClassScheduleResolver. */
@ObjectType({ simpleResolvers: true })
export class ClassSchedule {
  @Field(() => ID)
  id!: string;

  @Field(() => ClassType)
  classType!: ClassType;

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

  @Field(() => Int)
  capacity!: number;

  @Field(() => ClassScheduleStatus)
  status!: ClassScheduleStatus;
}

/** A member's place in a weekly class, every week of [startDate, endDate]. */
@ObjectType({ simpleResolvers: true })
export class StandingReservation {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  member!: User;

  @Field(() => ClassSchedule)
  schedule!: ClassSchedule;

  @Field(() => LocalDate)
  startDate!: string;

  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;

  @Field(() => RecurringBookingStatus)
  status!: RecurringBookingStatus;
}
