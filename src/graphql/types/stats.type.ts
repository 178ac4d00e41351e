import { Field, Float, Int, ObjectType } from 'type-graphql';
import { EnrollmentStatus, SessionStatus } from '../enums';
import { GenerationRun } from './generation.type';
import { User } from './user.type';

@ObjectType({ simpleResolvers: true })
export class StatusCount {
  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ simpleResolvers: true })
export class EnrollmentStatusCount {
  @Field(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => Int)
  count!: number;
}

/** Since 0.3: group classes at a glance. */
@ObjectType({ simpleResolvers: true })
export class ClassStats {
  @Field(() => Int)
  activeClassSchedules!: number;

  @Field(() => Int)
  activeStandingReservations!: number;

  @Field(() => Int, { description: 'SCHEDULED classes starting within the next 7 days' })
  upcomingClassesNext7Days!: number;

  @Field(() => Int, { description: 'Their places (capacity)' })
  placesNext7Days!: number;

  @Field(() => Int, { description: 'Their places held (BOOKED or OFFERED)' })
  bookedNext7Days!: number;

  @Field(() => Int)
  waitlistedNext7Days!: number;

  @Field(() => [EnrollmentStatusCount], { description: 'Every status, zero counts included' })
  enrollmentsByStatus!: EnrollmentStatusCount[];

  @Field(() => Float, { nullable: true, description: 'ATTENDED / (ATTENDED + NO_SHOW) of classes that ended in the last 30 days; null when none was marked' })
  attendanceRateLast30Days?: number | null;
}

/** Future SCHEDULED sessions of one coach; `coach` is resolved from coachId. */
@ObjectType()
export class CoachUtilization {
  @Field(() => User)
  coach!: User;

  @Field(() => Int)
  bookedSlots!: number;
}

/** The owner's dashboard: the seed's "useful queries". */
@ObjectType()
export class Stats {
  @Field(() => Int)
  activeRecurringBookings!: number;

  @Field(() => [StatusCount], { description: 'Every status, zero counts included' })
  sessionsByStatus!: StatusCount[];

  @Field(() => Int, { description: 'SCHEDULED sessions starting within the next 7 days' })
  upcomingSessionsNext7Days!: number;

  @Field(() => [CoachUtilization], { description: 'Future SCHEDULED sessions per coach, busiest first' })
  coachUtilization!: CoachUtilization[];

  @Field(() => GenerationRun, { nullable: true })
  lastGenerationRun?: GenerationRun | null;

  @Field(() => ClassStats, { description: 'Since 0.3' })
  classes!: ClassStats;
}
