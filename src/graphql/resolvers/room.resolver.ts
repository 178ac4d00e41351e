import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Context } from '../context';
import { Room } from '../types/room.type';

@Resolver(() => Room)
export class RoomResolver {
  @Authorized(rolesFor('Query.rooms'))
  @Query(() => [Room])
  rooms(@Ctx() ctx: Context) {
    return ctx.services.rooms.list();
  }

  @Authorized(rolesFor('Mutation.createRoom'))
  @Mutation(() => Room)
  createRoom(
    @Ctx() ctx: Context,
    @Arg('name') name: string,
    @Arg('capacity', () => Int, { nullable: true, defaultValue: 1 }) capacity?: number | null,
  ) {
    return ctx.services.rooms.create(name, capacity ?? 1);
  }
}
