import { Field, ID, Int, ObjectType } from 'type-graphql';

/** What a class is: its defaults (duration, places, waitlist, price, credits), copied onto each class when it is created. */
@ObjectType({ simpleResolvers: true })
export class ClassType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int)
  durationMinutes!: number;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int)
  waitlistCapacity!: number;

  @Field(() => Int, { nullable: true })
  priceCents?: number | null;

  @Field(() => Int)
  creditsPerClass!: number;

  @Field()
  archived!: boolean;
}
