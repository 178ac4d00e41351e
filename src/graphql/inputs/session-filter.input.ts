import { IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { SessionStatus } from '../enums';

/** Narrows a session list; never widens what the caller may see. from/to bound the start time: [from, to). */
@InputType()
export class SessionFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  coachId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  memberId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be a valid id' })
  recurringBookingId?: string | null;

  @Field(() => [SessionStatus], { nullable: true })
  status?: SessionStatus[] | null;

  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}
