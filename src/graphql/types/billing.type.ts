import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ChargeKind } from '../enums';
import { LocalDate } from '../scalars';
import { Enrollment } from './class-session.type';
import { TrainingSession } from './session.type';
import { User } from './user.type';
import { WaitlistPolicy } from './waitlist-policy.type';

@ObjectType()
export class StudioSettings {
  @Field()
  name!: string;

  @Field({ description: 'ISO 4217; every amount is integer minor units ("cents") of it.' })
  currency!: string;

  @Field(() => Int, { description: "A member's own cancellation less than this before the start is late." })
  lateCancelWindowMinutes!: number;

  @Field(() => Int)
  lateCancelFeePercent!: number;

  @Field(() => Int)
  noShowFeePercent!: number;

  @Field(() => [Int], { description: 'Default reminder leads for people who have not chosen their own.' })
  reminderLeadMinutes!: number[];

  @Field(() => WaitlistPolicy)
  waitlist!: WaitlistPolicy;
}

/** Relations (member, session, creditPack, createdBy) are resolved in ChargeResolver from the row's ids. */
@ObjectType()
export class CreditPack {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  member!: User;

  @Field(() => Int)
  credits!: number;

  @Field(() => Int)
  remaining!: number;

  @Field(() => Int)
  priceCents!: number;

  @Field()
  purchasedAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;
}

@ObjectType()
export class Charge {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  member!: User;

  @Field(() => ChargeKind)
  kind!: ChargeKind;

  @Field(() => TrainingSession, { nullable: true })
  session?: TrainingSession | null;

  @Field(() => Enrollment, { nullable: true, description: 'Since 0.3: the class attendance, late cancellation or no-show this line is for.' })
  enrollment?: Enrollment | null;

  @Field(() => CreditPack, { nullable: true })
  creditPack?: CreditPack | null;

  @Field(() => Int, { description: 'What the member owes for this line; 0 when a pack credit paid for it.' })
  amountCents!: number;

  @Field()
  currency!: string;

  @Field()
  paidWithCredit!: boolean;

  @Field()
  description!: string;

  @Field()
  createdAt!: Date;

  @Field(() => User, { nullable: true })
  createdBy?: User | null;
}

@ObjectType()
export class MemberStatement {
  @Field(() => User)
  member!: User;

  @Field(() => LocalDate)
  from!: string;

  @Field(() => LocalDate)
  to!: string;

  @Field()
  currency!: string;

  @Field(() => [Charge])
  charges!: Charge[];

  @Field(() => Int)
  totalCents!: number;

  @Field(() => Int)
  creditsUsed!: number;
}

@ObjectType()
export class RevenueLine {
  @Field(() => User)
  coach!: User;

  @Field(() => Int)
  sessions!: number;

  @Field(() => Int)
  sessionCents!: number;

  @Field(() => Int, { description: 'Since 0.3: class attendances charged (net of corrections).' })
  classes!: number;

  @Field(() => Int, { description: 'Since 0.3: what those attendances were charged in money.' })
  classCents!: number;

  @Field(() => Int, { description: 'Session and class fees (no-show, late cancellation), net of waivers.' })
  feeCents!: number;

  @Field(() => Int)
  totalCents!: number;
}
