import { IsOptional, MaxLength } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate, LocalTime } from '../scalars';

/** Checked field by field in BookingService (the rules need the series' timezone and the database). */
@InputType()
export class CreateRecurringBookingInput {
  @Field(() => ID)
  coachId!: string;

  @Field(() => Int)
  dayOfWeek!: number;

  @Field(() => LocalTime)
  startTime!: string;

  @Field(() => LocalTime)
  endTime!: string;

  @Field(() => LocalDate)
  startDate!: string;

  @Field(() => LocalDate, { nullable: true })
  endDate?: string | null;

  @Field(() => ID, { nullable: true })
  memberId?: string | null;

  @Field(() => ID, { nullable: true })
  roomId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(64, { message: 'timezone must be an IANA timezone name' })
  timezone?: string | null;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 1, description: 'Every N weeks (1 to 12), counted from the first occurrence on or after startDate.' })
  intervalWeeks?: number | null;

  @Field(() => Int, { nullable: true, description: 'A count-limited series (1 to 520 sessions); excludes endDate.' })
  occurrences?: number | null;
}

@InputType()
export class CancelRecurringBookingInput {
  @Field(() => ID)
  recurringBookingId!: string;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  futureOnly?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string | null;
}

@InputType()
export class ChangeRecurringBookingInput {
  @Field(() => ID)
  recurringBookingId!: string;

  @Field(() => LocalDate)
  effectiveFrom!: string;

  @Field(() => ID, { nullable: true })
  coachId?: string | null;

  @Field(() => ID, { nullable: true })
  roomId?: string | null;

  @Field(() => Int, { nullable: true })
  dayOfWeek?: number | null;

  @Field(() => LocalTime, { nullable: true })
  startTime?: string | null;

  @Field(() => LocalTime, { nullable: true })
  endTime?: string | null;

  @Field(() => Int, { nullable: true })
  intervalWeeks?: number | null;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;
}

@InputType()
export class PauseRecurringBookingInput {
  @Field(() => ID)
  recurringBookingId!: string;

  @Field(() => LocalDate)
  from!: string;

  @Field(() => LocalDate)
  to!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  reason?: string | null;
}
