import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate, LocalTime } from '../scalars';
import { EnrollmentStatus, SessionStatus } from '../enums';

/** Ranges are checked by ClassTypeService / ClassSessionService, which name the field. */
@InputType()
export class ClassTypeInput {
  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, { nullable: true, defaultValue: 0 })
  waitlistCapacity?: number | null;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 1 })
  creditsPerClass?: number | null;
}

@InputType()
export class UpdateClassTypeInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  capacity?: number | null;

  @Field(() => Int, { nullable: true })
  waitlistCapacity?: number | null;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;

  @Field(() => Int, { nullable: true })
  creditsPerClass?: number | null;

  @Field(() => Boolean, { nullable: true })
  archived?: boolean | null;
}

/** A one-off class; duration and capacity default to the class type's, the room to the coach's default room. */
@InputType()
export class ScheduleClassInput {
  @Field(() => ID)
  classTypeId!: string;

  @Field(() => ID)
  coachId!: string;

  @Field(() => ID, { nullable: true })
  roomId?: string | null;

  @Field()
  startTime!: Date;

  @Field(() => Int, { nullable: true })
  durationMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  capacity?: number | null;
}

/** Narrows the timetable; from/to bound the start time: [from, to). */
@InputType()
export class ClassSessionFilter {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;

  @Field(() => ID, { nullable: true })
  classTypeId?: string | null;

  @Field(() => ID, { nullable: true })
  coachId?: string | null;

  @Field(() => ID, { nullable: true })
  roomId?: string | null;

  @Field(() => [SessionStatus], { nullable: true })
  status?: SessionStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only classes with a free place (or a free waitlist place).' })
  available?: boolean | null;
}

/** from/to bound the class's start: [from, to). */
@InputType()
export class EnrollmentFilter {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;

  @Field(() => [EnrollmentStatus], { nullable: true })
  status?: EnrollmentStatus[] | null;
}

/** Checked field by field in ClassScheduleService (the rules need the schedule's timezone and the database). */
@InputType()
export class CreateClassScheduleInput {
  @Field(() => ID)
  classTypeId!: string;

  @Field(() => ID)
  coachId!: string;

  @Field(() => ID, { nullable: true, description: "Defaults to the coach's default room." })
  roomId?: string | null;

  @Field(() => Int)
  dayOfWeek!: number;

  @Field(() => LocalTime)
  startTime!: string;

  @Field(() => LocalTime, { nullable: true, description: "Defaults to startTime plus the class type's duration." })
  endTime?: string | null;

  @Field(() => String, { nullable: true, description: 'Defaults to STUDIO_TIMEZONE.' })
  @IsOptional()
  @MaxLength(64, { message: 'timezone must be an IANA timezone name' })
  timezone?: string | null;

  @Field(() => LocalDate)
  startDate!: string;

  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;

  @Field(() => Int, { nullable: true, description: "Defaults to the class type's capacity." })
  capacity?: number | null;
}

@InputType()
export class CreateStandingReservationInput {
  @Field(() => ID)
  scheduleId!: string;

  @Field(() => ID, { nullable: true, description: "Members: themselves (left out); owners and the class's coach: anyone." })
  memberId?: string | null;

  @Field(() => LocalDate)
  startDate!: string;

  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;
}
