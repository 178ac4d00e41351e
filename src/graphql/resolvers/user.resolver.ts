import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { actorOf, type Context } from '../context';
import { Role } from '../enums';
import { CreateUserInput } from '../inputs/user.input';
import { User } from '../types/user.type';

@Resolver(() => User)
export class UserResolver {
  @Authorized(rolesFor('Query.me'))
  @Query(() => User)
  me(@Ctx() ctx: Context) {
    return ctx.services.users.me(actorOf(ctx));
  }

  @Authorized(rolesFor('Query.users'))
  @Query(() => [User])
  users(@Ctx() ctx: Context, @Arg('role', () => Role, { nullable: true }) role?: Role | null) {
    return ctx.services.users.list(role);
  }

  @Authorized(rolesFor('Query.coaches'))
  @Query(() => [User])
  coaches(@Ctx() ctx: Context) {
    return ctx.services.users.coaches();
  }

  @FieldResolver(() => String, { description: "The IANA zone this person's times are shown in; defaults to the studio's timezone." })
  timezone(@Root() user: User, @Ctx() ctx: Context): string {
    return ctx.services.users.timezoneOf(user);
  }

  @Authorized(rolesFor('Mutation.createUser'))
  @Mutation(() => User)
  createUser(@Ctx() ctx: Context, @Arg('input') input: CreateUserInput) {
    return ctx.services.users.create(input, { invite: true });
  }
}
