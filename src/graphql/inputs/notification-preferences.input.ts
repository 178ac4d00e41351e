import { Field, InputType, Int } from 'type-graphql';

/** Leads are checked by the service (each 5-10080, at most 5), which names the entry at fault. */
@InputType()
export class NotificationPreferencesInput {
  @Field(() => Boolean, { nullable: true })
  emailConfirmations?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  emailReminders?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  emailCancellations?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  emailBilling?: boolean | null;

  @Field(() => [Int], { nullable: true })
  reminderLeadMinutes?: number[] | null;
}
