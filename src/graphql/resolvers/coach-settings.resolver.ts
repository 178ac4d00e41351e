import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { CoachSettings as CoachSettingsRow } from '../../generated/prisma/client';
import { actorOf, type Context } from '../context';
import { CoachSettingsInput } from '../inputs/coach-settings.input';
import { loadOrFail } from '../loaders';
import { CoachSettings } from '../types/coach-settings.type';
import { Room } from '../types/room.type';
import { User } from '../types/user.type';

@Resolver(() => CoachSettings)
export class CoachSettingsResolver {
  @Authorized(rolesFor('Query.coachSettings'))
  @Query(() => CoachSettings, { nullable: true })
  coachSettings(@Ctx() ctx: Context, @Arg('coachId', () => ID) coachId: string) {
    return ctx.services.coachSettings.get(coachId);
  }

  @Authorized(rolesFor('Mutation.updateCoachSettings'))
  @Mutation(() => CoachSettings)
  updateCoachSettings(@Ctx() ctx: Context, @Arg('input') input: CoachSettingsInput) {
    return ctx.services.coachSettings.update(actorOf(ctx), input);
  }

  @FieldResolver(() => ID)
  id(@Root() settings: CoachSettingsRow) {
    return settings.coachId;
  }

  @FieldResolver(() => User)
  coach(@Root() settings: CoachSettingsRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, settings.coachId, 'User');
  }

  @FieldResolver(() => Room, { nullable: true })
  defaultRoom(@Root() settings: CoachSettingsRow, @Ctx() ctx: Context) {
    return settings.defaultRoomId ? ctx.loaders.room.load(settings.defaultRoomId) : null;
  }
}
