import { MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { WebhookEventType } from '../enums';

@InputType()
export class CreateWebhookEndpointInput {
  @Field()
  @MaxLength(2000)
  url!: string;

  @Field(() => [WebhookEventType])
  events!: WebhookEventType[];
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  url?: string | null;

  @Field(() => [WebhookEventType], { nullable: true })
  events?: WebhookEventType[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}
