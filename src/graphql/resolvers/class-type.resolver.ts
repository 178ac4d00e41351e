import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Context } from '../context';
import { ClassTypeInput, UpdateClassTypeInput } from '../inputs/class.input';
import { ClassType } from '../types/class-type.type';

@Resolver(() => ClassType)
export class ClassTypeResolver {
  @Authorized(rolesFor('Query.classTypes'))
  @Query(() => [ClassType])
  classTypes(@Ctx() ctx: Context, @Arg('includeArchived', () => Boolean, { nullable: true, defaultValue: false }) includeArchived?: boolean | null) {
    return ctx.services.classTypes.list(includeArchived ?? false);
  }

  @Authorized(rolesFor('Mutation.createClassType'))
  @Mutation(() => ClassType)
  createClassType(@Ctx() ctx: Context, @Arg('input', () => ClassTypeInput) input: ClassTypeInput) {
    return ctx.services.classTypes.create(input);
  }

  @Authorized(rolesFor('Mutation.updateClassType'))
  @Mutation(() => ClassType)
  updateClassType(@Ctx() ctx: Context, @Arg('input', () => UpdateClassTypeInput) input: UpdateClassTypeInput) {
    return ctx.services.classTypes.update(input);
  }
}
