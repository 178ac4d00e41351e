import { Field, ID, InputType, Int } from 'type-graphql';
import { WaitlistPolicyInput } from '../types/waitlist-policy.type';

/** Every field is checked by BillingService (BAD_USER_INPUT naming the field). */
@InputType()
export class StudioSettingsInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  currency?: string | null;

  @Field(() => Int, { nullable: true })
  lateCancelWindowMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  lateCancelFeePercent?: number | null;

  @Field(() => Int, { nullable: true })
  noShowFeePercent?: number | null;

  @Field(() => [Int], { nullable: true })
  reminderLeadMinutes?: number[] | null;

  @Field(() => WaitlistPolicyInput, { nullable: true })
  waitlist?: WaitlistPolicyInput | null;
}

@InputType()
export class GrantCreditPackInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => Int)
  credits!: number;

  @Field(() => Int)
  priceCents!: number;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;
}

@InputType()
export class AdjustmentInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => Int)
  amountCents!: number;

  @Field()
  description!: string;

  @Field(() => ID, { nullable: true })
  sessionId?: string | null;
}
