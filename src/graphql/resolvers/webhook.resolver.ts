import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Context } from '../context';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from '../inputs/webhook.input';
import { WebhookDelivery, WebhookEndpoint, WebhookEndpointSecret } from '../types/webhook.type';

/** Owners' webhook endpoints; the rules live in WebhookService and src/webhooks/. */
@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized(rolesFor('Query.webhookEndpoints'))
  @Query(() => [WebhookEndpoint])
  webhookEndpoints(@Ctx() ctx: Context) {
    return ctx.services.webhooks.list();
  }

  @Authorized(rolesFor('Query.webhookDeliveries'))
  @Query(() => [WebhookDelivery])
  webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number | null,
  ) {
    return ctx.services.webhooks.deliveries(endpointId, first ?? 50);
  }

  @Authorized(rolesFor('Mutation.createWebhookEndpoint'))
  @Mutation(() => WebhookEndpointSecret)
  createWebhookEndpoint(@Ctx() ctx: Context, @Arg('input') input: CreateWebhookEndpointInput) {
    return ctx.services.webhooks.create(input);
  }

  @Authorized(rolesFor('Mutation.updateWebhookEndpoint'))
  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(@Ctx() ctx: Context, @Arg('input') input: UpdateWebhookEndpointInput) {
    return ctx.services.webhooks.update(input);
  }

  @Authorized(rolesFor('Mutation.deleteWebhookEndpoint'))
  @Mutation(() => Boolean)
  deleteWebhookEndpoint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.remove(id);
  }

  @Authorized(rolesFor('Mutation.rotateWebhookSecret'))
  @Mutation(() => WebhookEndpointSecret)
  rotateWebhookSecret(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.webhooks.rotateSecret(id);
  }

  @Authorized(rolesFor('Mutation.redeliverWebhook'))
  @Mutation(() => WebhookDelivery)
  redeliverWebhook(@Ctx() ctx: Context, @Arg('deliveryId', () => ID) deliveryId: string) {
    return ctx.services.webhooks.redeliver(deliveryId);
  }
}
