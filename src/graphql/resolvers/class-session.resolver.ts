import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { ClassSession as ClassRow, EnrollmentStatus as StatusValue } from '../../generated/prisma/client';
import { actorOf, type Context } from '../context';
import { EnrollmentStatus } from '../enums';
import { ScheduleClassInput } from '../inputs/class.input';
import { loadOrFail } from '../loaders';
import { ClassSchedule } from '../types/class-schedule.type';
import { ClassSession, Enrollment } from '../types/class-session.type';
import { ClassType } from '../types/class-type.type';
import { Room } from '../types/room.type';
import { User } from '../types/user.type';

export const DEFAULT_ROSTER_SIZE = 100;

/** One-off classes, cancelling and capacity (rules in ClassSessionService); a class's places and roster. */
@Resolver(() => ClassSession)
export class ClassSessionResolver {
  @Authorized(rolesFor('Query.classSession'))
  @Query(() => ClassSession, { nullable: true })
  classSession(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.classSessions.get(id);
  }

  @Authorized(rolesFor('Mutation.scheduleClass'))
  @Mutation(() => ClassSession)
  scheduleClass(@Ctx() ctx: Context, @Arg('input', () => ScheduleClassInput) input: ScheduleClassInput) {
    return ctx.services.classSessions.schedule(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.cancelClassSession'))
  @Mutation(() => ClassSession)
  cancelClassSession(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason') reason: string) {
    return ctx.services.classSessions.cancel(actorOf(ctx), id, reason);
  }

  @Authorized(rolesFor('Mutation.changeClassCapacity'))
  @Mutation(() => ClassSession)
  async changeClassCapacity(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('capacity', () => Int) capacity: number) {
    return (await ctx.services.classSessions.changeCapacity(actorOf(ctx), id, capacity)).session;
  }

  @FieldResolver(() => ClassType)
  classType(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.classType, cls.classTypeId, 'Class type');
  }

  @FieldResolver(() => ClassSchedule, { nullable: true, description: 'null for a one-off class.' })
  schedule(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return cls.scheduleId ? ctx.loaders.classSchedule.load(cls.scheduleId) : null;
  }

  @FieldResolver(() => User)
  coach(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, cls.coachId, 'User');
  }

  @FieldResolver(() => Room)
  room(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.room, cls.roomId, 'Room');
  }

  @FieldResolver(() => Int)
  async bookedCount(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.classPlaces.load(cls.id)).held;
  }

  @FieldResolver(() => Int)
  async waitlistCount(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.classPlaces.load(cls.id)).waitlisted;
  }

  @FieldResolver(() => Int)
  async spotsLeft(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return Math.max(0, cls.capacity - (await ctx.loaders.classPlaces.load(cls.id)).held);
  }

  @FieldResolver(() => Enrollment, { nullable: true })
  myEnrollment(@Root() cls: ClassRow, @Ctx() ctx: Context) {
    return ctx.actor ? ctx.loaders.myEnrollment.load(`${cls.id}|${ctx.actor.id}`) : null;
  }

  /** The class's coach and owners read everyone; anyone else only their own rows. */
  @FieldResolver(() => [Enrollment])
  enrollments(
    @Root() cls: ClassRow,
    @Ctx() ctx: Context,
    @Arg('status', () => [EnrollmentStatus], { nullable: true }) status?: StatusValue[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_ROSTER_SIZE }) first?: number | null,
  ) {
    const actor = actorOf(ctx);
    const seesAll = actor.role === 'OWNER' || (actor.role === 'COACH' && actor.id === cls.coachId);
    return ctx.loaders.roster.load({ classId: cls.id, memberId: seesAll ? null : actor.id, statuses: status?.length ? status : null, first: first ?? DEFAULT_ROSTER_SIZE });
  }
}
