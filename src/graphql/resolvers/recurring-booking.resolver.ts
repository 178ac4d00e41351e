import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { formatLocalEndTime, formatLocalTime } from '../../domain/civil-date';
import type { RecurringBooking as BookingRow, SeriesPause as PauseRow } from '../../generated/prisma/client';
import { localDateText } from '../../services/booking.service';
import { actorOf, type Context } from '../context';
import { RecurringBookingStatus, SessionStatus } from '../enums';
import { CancelRecurringBookingInput, ChangeRecurringBookingInput, CreateRecurringBookingInput, PauseRecurringBookingInput } from '../inputs/recurring-booking.input';
import { loadOrFail } from '../loaders';
import { LocalDate, LocalTime } from '../scalars';
import { RecurringBooking, SeriesPause } from '../types/recurring-booking.type';
import { Room } from '../types/room.type';
import { TrainingSession } from '../types/session.type';
import { User } from '../types/user.type';
import type { SessionRoot } from './session.resolver';

const DEFAULT_SERIES_PAGE = 20;
/** A year of a weekly series. */
const DEFAULT_SERIES_SESSIONS = 50;

@Resolver(() => RecurringBooking)
export class RecurringBookingResolver {
  @Authorized(rolesFor('Query.recurringBooking'))
  @Query(() => RecurringBooking, { nullable: true })
  recurringBooking(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.bookings.get(actorOf(ctx), id);
  }

  @Authorized(rolesFor('Query.recurringBookings'))
  @Query(() => [RecurringBooking], {
    description: 'Oldest first, `first` (1 to 200) at a time; `after`: the id of the last series of the previous page.',
  })
  recurringBookings(
    @Ctx() ctx: Context,
    @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null,
    @Arg('coachId', () => ID, { nullable: true }) coachId?: string | null,
    @Arg('status', () => RecurringBookingStatus, { nullable: true }) status?: RecurringBookingStatus | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_SERIES_PAGE }) first?: number | null,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ) {
    return ctx.services.bookings.list(actorOf(ctx), { memberId, coachId, status }, { first: first ?? DEFAULT_SERIES_PAGE, after });
  }

  @Authorized(rolesFor('Mutation.createRecurringBooking'))
  @Mutation(() => RecurringBooking, { description: 'Creates the series and at once generates its sessions up to the horizon.' })
  createRecurringBooking(@Ctx() ctx: Context, @Arg('input') input: CreateRecurringBookingInput) {
    return ctx.services.bookings.create(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.cancelRecurringBooking'))
  @Mutation(() => RecurringBooking)
  cancelRecurringBooking(@Ctx() ctx: Context, @Arg('input') input: CancelRecurringBookingInput) {
    return ctx.services.bookings.cancel(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.changeRecurringBooking'))
  @Mutation(() => RecurringBooking, {
    description: 'Ends the series the day before effectiveFrom and continues it, changed, in a new one (returned); one transaction.',
  })
  changeRecurringBooking(@Ctx() ctx: Context, @Arg('input') input: ChangeRecurringBookingInput) {
    return ctx.services.seriesChanges.change(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.pauseRecurringBooking'))
  @Mutation(() => SeriesPause)
  pauseRecurringBooking(@Ctx() ctx: Context, @Arg('input') input: PauseRecurringBookingInput) {
    return ctx.services.seriesPauses.pause(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.removeSeriesPause'))
  @Mutation(() => Boolean, { description: 'Ends a pause: its future occurrences are held again where nothing clashes.' })
  removeSeriesPause(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return ctx.services.seriesPauses.removePause(actorOf(ctx), id);
  }

  @FieldResolver(() => [SeriesPause])
  pauses(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return ctx.loaders.seriesPauses.load(booking.id);
  }

  /** Links of a change: the parties are the same (a change cannot change the member), so whoever sees one sees the other. */
  @FieldResolver(() => RecurringBooking, { nullable: true })
  replaces(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return booking.replacesId ? ctx.loaders.recurringBooking.load(booking.replacesId) : null;
  }

  @FieldResolver(() => RecurringBooking, { nullable: true })
  replacedBy(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return ctx.loaders.seriesReplacement.load(booking.id);
  }

  @FieldResolver(() => User)
  member(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, booking.memberId, 'User');
  }

  @FieldResolver(() => User)
  coach(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, booking.coachId, 'User');
  }

  @FieldResolver(() => Room)
  room(@Root() booking: BookingRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.room, booking.roomId, 'Room');
  }

  @FieldResolver(() => LocalTime)
  startTime(@Root() booking: BookingRow) {
    return formatLocalTime(booking.startMinute);
  }

  @FieldResolver(() => LocalTime)
  endTime(@Root() booking: BookingRow) {
    return formatLocalEndTime(booking.endMinute);
  }

  @FieldResolver(() => LocalDate)
  startDate(@Root() booking: BookingRow) {
    return localDateText(booking.startDate);
  }

  @FieldResolver(() => LocalDate, { nullable: true })
  endDate(@Root() booking: BookingRow) {
    return booking.endDate ? localDateText(booking.endDate) : null;
  }

  /** The series' sessions, oldest first; whoever sees the series sees its sessions (same coach and member). */
  @FieldResolver(() => [TrainingSession], {
    description: 'Oldest first, at most `first` (1 to 200); all of them, page by page: sessions(filter: { recurringBookingId }).',
  })
  sessions(
    @Root() booking: BookingRow,
    @Ctx() ctx: Context,
    @Arg('from', () => Date, { nullable: true }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true }) to?: Date | null,
    @Arg('status', () => [SessionStatus], { nullable: true }) status?: SessionStatus[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_SERIES_SESSIONS }) first?: number | null,
  ) {
    return ctx.loaders.bookingSessions.load({ recurringBookingId: booking.id, from, to, status, first: first ?? DEFAULT_SERIES_SESSIONS });
  }
}

@Resolver(() => SeriesPause)
export class SeriesPauseResolver {
  @FieldResolver(() => LocalDate)
  from(@Root() pause: PauseRow) {
    return localDateText(pause.fromDate);
  }

  @FieldResolver(() => LocalDate)
  to(@Root() pause: PauseRow) {
    return localDateText(pause.toDate);
  }
}

/** TrainingSession.recurringBooking: the series a session was generated from. */
@Resolver(() => TrainingSession)
export class SessionRecurringBookingResolver {
  @FieldResolver(() => RecurringBooking, { nullable: true })
  recurringBooking(@Root() session: SessionRoot, @Ctx() ctx: Context) {
    if (session.recurringBooking !== undefined) return session.recurringBooking;
    return session.recurringBookingId ? ctx.loaders.recurringBooking.load(session.recurringBookingId) : null;
  }
}
