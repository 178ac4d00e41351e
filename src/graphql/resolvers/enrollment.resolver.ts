import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { Enrollment as EnrollmentRow, EnrollmentStatus as StatusValue, EnrollmentStatusChange as HistoryRow } from '../../generated/prisma/client';
import { EnrollmentStatus } from '../enums';
import { actorOf, type Context } from '../context';
import { loadOrFail } from '../loaders';
import { StandingReservation } from '../types/class-schedule.type';
import { ClassSession, Enrollment, EnrollmentStatusChange } from '../types/class-session.type';
import { User } from '../types/user.type';

/** Members in classes: the place, waitlist and offer rules live in EnrollmentService and domain/enrollment.ts. */
@Resolver(() => Enrollment)
export class EnrollmentResolver {
  @Authorized(rolesFor('Mutation.enrollInClass'))
  @Mutation(() => Enrollment)
  enrollInClass(@Ctx() ctx: Context, @Arg('sessionId', () => ID) sessionId: string, @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null) {
    return ctx.services.enrollments.enroll(actorOf(ctx), sessionId, memberId);
  }

  @Authorized(rolesFor('Mutation.cancelEnrollment'))
  @Mutation(() => Enrollment)
  cancelEnrollment(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason?: string | null) {
    return ctx.services.enrollments.cancel(actorOf(ctx), id, reason);
  }

  @Authorized(rolesFor('Mutation.acceptClassOffer'))
  @Mutation(() => Enrollment)
  acceptClassOffer(@Ctx() ctx: Context, @Arg('enrollmentId', () => ID) enrollmentId: string) {
    return ctx.services.enrollments.acceptOffer(actorOf(ctx), enrollmentId);
  }

  @Authorized(rolesFor('Mutation.declineClassOffer'))
  @Mutation(() => Enrollment)
  declineClassOffer(@Ctx() ctx: Context, @Arg('enrollmentId', () => ID) enrollmentId: string) {
    return ctx.services.enrollments.declineOffer(actorOf(ctx), enrollmentId);
  }

  @Authorized(rolesFor('Mutation.markAttendance'))
  @Mutation(() => Enrollment, { description: 'ATTENDED or NO_SHOW, from the start of the class until 7 days after its end; corrections within that time.' })
  markAttendance(@Ctx() ctx: Context, @Arg('enrollmentId', () => ID) enrollmentId: string, @Arg('status', () => EnrollmentStatus) status: StatusValue) {
    return ctx.services.enrollments.markAttendance(actorOf(ctx), enrollmentId, status);
  }

  @FieldResolver(() => ClassSession)
  session(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.classSession, enrollment.classSessionId, 'Class');
  }

  @FieldResolver(() => StandingReservation, { nullable: true, description: 'Set when the enrollment came from a standing reservation.' })
  standingReservation(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context) {
    return enrollment.standingReservationId ? ctx.loaders.standingReservation.load(enrollment.standingReservationId) : null;
  }

  @FieldResolver(() => User)
  member(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, enrollment.memberId, 'User');
  }

  @FieldResolver(() => Int, { nullable: true, description: '1-based, while WAITLISTED.' })
  waitlistPosition(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context) {
    return enrollment.status === 'WAITLISTED' ? ctx.loaders.waitlistPosition.load(enrollment.id) : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'While OFFERED.' })
  offerExpiresAt(@Root() enrollment: EnrollmentRow) {
    return enrollment.status === 'OFFERED' ? enrollment.offerExpiresAt : null;
  }

  @FieldResolver(() => [EnrollmentStatusChange])
  async history(@Root() enrollment: EnrollmentRow, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.enrollmentHistory.load(enrollment.id);
    return rows.map((row) => ({ ...row, from: row.fromStatus, to: row.toStatus }));
  }
}

@Resolver(() => EnrollmentStatusChange)
export class EnrollmentStatusChangeResolver {
  @FieldResolver(() => User, { nullable: true, description: 'null when the server did it (promotion, expiry, generation).' })
  actor(@Root() change: HistoryRow, @Ctx() ctx: Context) {
    return change.actorId ? ctx.loaders.user.load(change.actorId) : null;
  }
}
