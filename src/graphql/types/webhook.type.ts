import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DeliveryStatus, WebhookEventType } from '../enums';

@ObjectType({ simpleResolvers: true })
export class WebhookEndpoint {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [WebhookEventType])
  events!: WebhookEventType[];

  @Field()
  enabled!: boolean;

  @Field()
  createdAt!: Date;

  @Field(() => Int, { description: 'Consecutive failed deliveries; the endpoint is disabled after too many.' })
  consecutiveFailures!: number;
}

@ObjectType({ simpleResolvers: true, description: 'The signing secret ("whsec_" + base64) is shown only here.' })
export class WebhookEndpointSecret {
  @Field(() => WebhookEndpoint)
  endpoint!: WebhookEndpoint;

  @Field()
  secret!: string;
}

@ObjectType({ simpleResolvers: true })
export class WebhookDelivery {
  @Field(() => ID)
  id!: string;

  @Field(() => WebhookEventType)
  eventType!: WebhookEventType;

  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true })
  responseStatus!: number | null;

  @Field()
  createdAt!: Date;
}
