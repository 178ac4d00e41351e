import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { LocalTime } from '../scalars';

/** The studio's waitlist rules (StudioSettings.waitlist). */
@ObjectType({ simpleResolvers: true })
export class WaitlistPolicy {
  @Field(() => Int, { description: 'Default: the late-cancel window plus 60 minutes.' })
  autoPromoteCutoffMinutes!: number;

  @Field(() => Int)
  offerMinutes!: number;

  @Field(() => LocalTime, { nullable: true })
  quietHoursStart?: string | null;

  @Field(() => LocalTime, { nullable: true })
  quietHoursEnd?: string | null;
}

/** Left out: unchanged; null: back to the default (cutoff) or none (quiet hours). Ranges checked by the service. */
@InputType()
export class WaitlistPolicyInput {
  @Field(() => Int, { nullable: true })
  autoPromoteCutoffMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  offerMinutes?: number | null;

  @Field(() => LocalTime, { nullable: true })
  quietHoursStart?: string | null;

  @Field(() => LocalTime, { nullable: true })
  quietHoursEnd?: string | null;
}
