import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '../../services/coach-settings.service';

@InputType()
export class CoachSettingsInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  coachId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  defaultRoomId?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(MIN_DURATION_MINUTES)
  @Max(MAX_DURATION_MINUTES)
  defaultDurationMinutes?: number | null;

  /** Checked by the service (0..100,000,000, BAD_USER_INPUT naming input.sessionPriceCents); null clears it. */
  @Field(() => Int, { nullable: true })
  sessionPriceCents?: number | null;
}
