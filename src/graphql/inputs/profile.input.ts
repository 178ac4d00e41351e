import { Field, InputType } from 'type-graphql';

/** Left out: unchanged. timezone null: back to the studio's. */
@InputType()
export class UpdateProfileInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'An IANA zone, e.g. Europe/Kyiv; null: the studio timezone.' })
  timezone?: string | null;
}
