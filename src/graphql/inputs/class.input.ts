import { Field, ID, InputType, Int } from 'type-graphql';
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
