import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { formatLocalEndTime, formatLocalTime } from '../../domain/civil-date';
import type { ClassSchedule as ScheduleRow, ClassScheduleStatus as StatusValue, StandingReservation as ReservationRow } from '../../generated/prisma/client';
import { localDateText } from '../../services/booking.service';
import { actorOf, type Context } from '../context';
import { ClassScheduleStatus } from '../enums';
import { CreateClassScheduleInput, CreateStandingReservationInput } from '../inputs/class.input';
import { loadOrFail } from '../loaders';
import { LocalDate, LocalTime } from '../scalars';
import { ClassSchedule, StandingReservation } from '../types/class-schedule.type';
import { ClassSession, Enrollment } from '../types/class-session.type';
import { ClassType } from '../types/class-type.type';
import { Room } from '../types/room.type';
import { User } from '../types/user.type';
import { badInput } from '../../errors';

const DEFAULT_LISTED = 50;
const MAX_LISTED = 200;

function firstOf(first: number | null | undefined): number {
  const n = first ?? DEFAULT_LISTED;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LISTED) throw badInput('first', `first must be between 1 and ${MAX_LISTED}`);
  return n;
}

/** Weekly classes (rules in ClassScheduleService). */
@Resolver(() => ClassSchedule)
export class ClassScheduleResolver {
  @Authorized(rolesFor('Query.classSchedules'))
  @Query(() => [ClassSchedule])
  classSchedules(
    @Ctx() ctx: Context,
    @Arg('coachId', () => ID, { nullable: true }) coachId?: string | null,
    @Arg('classTypeId', () => ID, { nullable: true }) classTypeId?: string | null,
    @Arg('status', () => ClassScheduleStatus, { nullable: true }) status?: StatusValue | null,
  ) {
    return ctx.services.classSchedules.list({ coachId, classTypeId, status });
  }

  @Authorized(rolesFor('Mutation.createClassSchedule'))
  @Mutation(() => ClassSchedule)
  createClassSchedule(@Ctx() ctx: Context, @Arg('input', () => CreateClassScheduleInput) input: CreateClassScheduleInput) {
    return ctx.services.classSchedules.create(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.cancelClassSchedule'))
  @Mutation(() => ClassSchedule, { description: 'Cancels the schedule\'s classes from fromDate on (default: today); every enrolled and waitlisted member is told once.' })
  cancelClassSchedule(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('fromDate', () => LocalDate, { nullable: true }) fromDate?: string | null,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return ctx.services.classSchedules.cancel(actorOf(ctx), id, fromDate, reason);
  }

  @FieldResolver(() => ClassType)
  classType(@Root() row: ScheduleRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.classType, row.classTypeId, 'Class type');
  }

  @FieldResolver(() => User)
  coach(@Root() row: ScheduleRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.coachId, 'User');
  }

  @FieldResolver(() => Room)
  room(@Root() row: ScheduleRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.room, row.roomId, 'Room');
  }

  @FieldResolver(() => LocalTime)
  startTime(@Root() row: ScheduleRow) {
    return formatLocalTime(row.startMinute);
  }

  @FieldResolver(() => LocalTime)
  endTime(@Root() row: ScheduleRow) {
    return formatLocalEndTime(row.endMinute);
  }

  @FieldResolver(() => LocalDate)
  startDate(@Root() row: ScheduleRow) {
    return localDateText(row.startDate);
  }

  @FieldResolver(() => LocalDate, { nullable: true })
  endDate(@Root() row: ScheduleRow) {
    return row.endDate ? localDateText(row.endDate) : null;
  }

  @FieldResolver(() => [ClassSession], { description: 'Oldest first, at most `first` (1 to 200).' })
  sessions(
    @Root() row: ScheduleRow,
    @Ctx() ctx: Context,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_LISTED }) first?: number | null,
  ) {
    return ctx.services.classSchedules.sessions(row.id, { from, to, first: firstOf(first) });
  }
}

/** A member's place in a weekly class (rules in StandingReservationService). */
@Resolver(() => StandingReservation)
export class StandingReservationResolver {
  @Authorized(rolesFor('Query.standingReservations'))
  @Query(() => [StandingReservation])
  standingReservations(
    @Ctx() ctx: Context,
    @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null,
    @Arg('scheduleId', () => ID, { nullable: true }) scheduleId?: string | null,
  ) {
    return ctx.services.standingReservations.list(actorOf(ctx), { memberId, scheduleId });
  }

  @Authorized(rolesFor('Mutation.createStandingReservation'))
  @Mutation(() => StandingReservation)
  createStandingReservation(@Ctx() ctx: Context, @Arg('input', () => CreateStandingReservationInput) input: CreateStandingReservationInput) {
    return ctx.services.standingReservations.create(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.cancelStandingReservation'))
  @Mutation(() => StandingReservation)
  cancelStandingReservation(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('futureOnly', () => Boolean, { nullable: true, defaultValue: true }) futureOnly?: boolean | null,
  ) {
    return ctx.services.standingReservations.cancel(actorOf(ctx), id, futureOnly ?? true);
  }

  @FieldResolver(() => User)
  member(@Root() row: ReservationRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, row.memberId, 'User');
  }

  @FieldResolver(() => ClassSchedule)
  schedule(@Root() row: ReservationRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.classSchedule, row.scheduleId, 'Class schedule');
  }

  @FieldResolver(() => LocalDate)
  startDate(@Root() row: ReservationRow) {
    return localDateText(row.startDate);
  }

  @FieldResolver(() => LocalDate, { nullable: true })
  endDate(@Root() row: ReservationRow) {
    return row.endDate ? localDateText(row.endDate) : null;
  }

  /** Whoever sees the reservation sees its enrollments (the same member). */
  @FieldResolver(() => [Enrollment], { description: "Oldest first (by the class's start), at most `first` (1 to 200)." })
  enrollments(
    @Root() row: ReservationRow,
    @Ctx() ctx: Context,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_LISTED }) first?: number | null,
  ) {
    return ctx.services.standingReservations.enrollments(row.id, { from, to, first: firstOf(first) });
  }
}
