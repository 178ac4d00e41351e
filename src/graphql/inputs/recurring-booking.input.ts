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
