import { IsInt, IsOptional, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MAX_NOTE_LENGTH } from '../../domain/availability';
import { LocalTime } from '../scalars';

/** Times are checked (and end > start, no overlaps) in AvailabilityService, which knows the whole week. */
@InputType()
export class WeeklySlotInput {
  @Field(() => Int)
  @IsInt()
  @Min(0, { message: 'dayOfWeek must be 0 (Sunday) to 6 (Saturday)' })
  @Max(6, { message: 'dayOfWeek must be 0 (Sunday) to 6 (Saturday)' })
  dayOfWeek!: number;

  @Field(() => LocalTime)
  startTime!: string;

  @Field(() => LocalTime)
  endTime!: string;
}

/** An addition's note or a block's reason. */
@InputType()
export class AvailabilityWindowInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  coachId?: string | null;

  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(MAX_NOTE_LENGTH, { message: `must be at most ${MAX_NOTE_LENGTH} characters` })
  note?: string | null;
}
