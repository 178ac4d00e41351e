import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { formatLocalEndTime, formatLocalTime } from '../../domain/civil-date';
import type {
  AvailabilityAddition as AdditionRow,
  AvailabilityBlock as BlockRow,
  WeeklyAvailability as WeeklyRow,
} from '../../generated/prisma/client';
import { actorOf, type Context } from '../context';
import { AvailabilityWindowInput, WeeklySlotInput } from '../inputs/availability.input';
import { loadOrFail } from '../loaders';
import { LocalTime } from '../scalars';
import { AvailabilityAddition, AvailabilityBlock, TimeSlot, WeeklyAvailability } from '../types/availability.type';
import { User } from '../types/user.type';

/** Notes of additions and reasons of blocks are private: the coach's own and owners' only, null for everyone else. */
function privateText(ctx: Context, row: { coachId: string }, text: string | null): string | null {
  const actor = ctx.actor;
  return actor && (actor.role === 'OWNER' || actor.id === row.coachId) ? text : null;
}

@Resolver(() => WeeklyAvailability)
export class WeeklyAvailabilityResolver {
  @Authorized(rolesFor('Query.weeklyAvailability'))
  @Query(() => [WeeklyAvailability])
  weeklyAvailability(@Ctx() ctx: Context, @Arg('coachId', () => ID) coachId: string) {
    return ctx.services.availability.weekly(coachId);
  }

  @Authorized(rolesFor('Mutation.setWeeklyAvailability'))
  @Mutation(() => [WeeklyAvailability])
  setWeeklyAvailability(
    @Ctx() ctx: Context,
    @Arg('slots', () => [WeeklySlotInput]) slots: WeeklySlotInput[],
    @Arg('coachId', () => ID, { nullable: true }) coachId?: string | null,
  ) {
    return ctx.services.availability.setWeekly(actorOf(ctx), coachId, slots);
  }

  @FieldResolver(() => User)
  coach(@Root() row: WeeklyRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.coachId, 'User');
  }

  @FieldResolver(() => LocalTime)
  startTime(@Root() row: WeeklyRow) {
    return formatLocalTime(row.startMinute);
  }

  @FieldResolver(() => LocalTime)
  endTime(@Root() row: WeeklyRow) {
    return formatLocalEndTime(row.endMinute);
  }
}

@Resolver(() => AvailabilityAddition)
export class AvailabilityAdditionResolver {
  @Authorized(rolesFor('Query.availabilityAdditions'))
  @Query(() => [AvailabilityAddition])
  availabilityAdditions(
    @Ctx() ctx: Context,
    @Arg('coachId', () => ID) coachId: string,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ) {
    return ctx.services.availability.additions(coachId, from, to);
  }

  @Authorized(rolesFor('Mutation.addAvailability'))
  @Mutation(() => AvailabilityAddition)
  addAvailability(@Ctx() ctx: Context, @Arg('input') input: AvailabilityWindowInput) {
    return ctx.services.availability.addAddition(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.removeAvailabilityAddition'))
  @Mutation(() => Boolean)
  removeAvailabilityAddition(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.availability.removeAddition(actorOf(ctx), id);
  }

  @FieldResolver(() => User)
  coach(@Root() row: AdditionRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.coachId, 'User');
  }

  @FieldResolver(() => String, { nullable: true })
  note(@Root() row: AdditionRow, @Ctx() ctx: Context) {
    return privateText(ctx, row, row.note);
  }
}

@Resolver(() => AvailabilityBlock)
export class AvailabilityBlockResolver {
  @Authorized(rolesFor('Query.availabilityBlocks'))
  @Query(() => [AvailabilityBlock])
  availabilityBlocks(
    @Ctx() ctx: Context,
    @Arg('coachId', () => ID) coachId: string,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
  ) {
    return ctx.services.availability.blocks(actorOf(ctx), coachId, from, to);
  }

  @Authorized(rolesFor('Mutation.blockAvailability'))
  @Mutation(() => AvailabilityBlock)
  blockAvailability(@Ctx() ctx: Context, @Arg('input') input: AvailabilityWindowInput) {
    return ctx.services.availability.block(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.removeAvailabilityBlock'))
  @Mutation(() => Boolean)
  removeAvailabilityBlock(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.availability.removeBlock(actorOf(ctx), id);
  }

  @FieldResolver(() => User)
  coach(@Root() row: BlockRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.coachId, 'User');
  }

  @FieldResolver(() => String, { nullable: true })
  reason(@Root() row: BlockRow, @Ctx() ctx: Context) {
    return privateText(ctx, row, row.reason);
  }
}

@Resolver(() => TimeSlot)
export class CoachAvailabilityResolver {
  @Authorized(rolesFor('Query.coachAvailability'))
  @Query(() => [TimeSlot])
  async coachAvailability(
    @Ctx() ctx: Context,
    @Arg('coachId', () => ID) coachId: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<TimeSlot[]> {
    const windows = await ctx.services.availability.coachAvailability(coachId, from, to);
    return windows.map((w) => ({ startTime: w.start, endTime: w.end }));
  }
}
