import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '../../services/coach-settings.service';

/** memberId: owners book for a member, members leave it out. durationMinutes and roomId default to the coach's settings. */
@InputType()
export class BookSessionInput {
  @Field(() => ID)
  coachId!: string;

  @Field()
  startTime!: Date;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(MIN_DURATION_MINUTES, { message: `must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes` })
  @Max(MAX_DURATION_MINUTES, { message: `must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes` })
  durationMinutes?: number | null;

  @Field(() => ID, { nullable: true })
  memberId?: string | null;

  @Field(() => ID, { nullable: true })
  roomId?: string | null;

  /** Owners only: overrides the coach's sessionPriceCents (checked by the service). */
  @Field(() => Int, { nullable: true })
  priceCents?: number | null;
}
