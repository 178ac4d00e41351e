import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GenerationRunStatus, GenerationTrigger } from '../enums';

/** The class half of a run's counts (since 0.3), shared by its answer and its record; never in the schema itself (unreferenced). */
@ObjectType()
export class ClassRunCounts {
  @Field(() => Int, { description: 'Classes created from class schedules (totalGenerated counts training sessions)' })
  classesGenerated!: number;

  @Field(() => Int, { description: 'Classes that were over and became COMPLETED (their BOOKED places ATTENDED)' })
  classesCompleted!: number;

  @Field(() => Int, { description: 'Class occurrences inside a block of their coach' })
  classesSkippedBlocked!: number;

  @Field(() => Int, { description: 'Class occurrences whose coach was busy or whose room was full' })
  classesSkippedConflicts!: number;

  @Field(() => Int, { description: 'Class schedules whose endDate passed and became ENDED' })
  classSchedulesEnded!: number;

  @Field(() => Int, { description: 'Places given to standing reservations in the new classes' })
  standingBooked!: number;

  @Field(() => Int, { description: 'Standing reservations that found their class full and joined its waitlist (they are told)' })
  standingWaitlisted!: number;

  @Field(() => Int, { description: 'Standing reservations not enrolled: the member was busy then, or class and waitlist were full' })
  standingSkipped!: number;
}

/** What one run did (the generateSessions mutation; the cron endpoint answers the same numbers). */
@ObjectType({ simpleResolvers: true })
export class GenerationResult extends ClassRunCounts {
  @Field(() => ID)
  runId!: string;

  @Field(() => Int)
  totalGenerated!: number;

  @Field(() => Int, { description: 'How many series got at least one new session' })
  fromRecurringBookings!: number;

  @Field(() => Int)
  markedCompleted!: number;

  @Field(() => Int)
  skippedBlocked!: number;

  @Field(() => Int)
  skippedConflicts!: number;

  @Field(() => Int, { description: 'Series whose endDate passed and became ENDED' })
  seriesEnded!: number;

  @Field(() => Int)
  durationMs!: number;
}

/** A recorded run (the Prisma row). */
@ObjectType({ simpleResolvers: true })
export class GenerationRun extends ClassRunCounts {
  @Field(() => ID)
  id!: string;

  @Field(() => GenerationTrigger)
  trigger!: GenerationTrigger;

  @Field(() => GenerationRunStatus)
  status!: GenerationRunStatus;

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt?: Date | null;

  @Field(() => Int)
  totalGenerated!: number;

  @Field(() => Int)
  fromRecurringBookings!: number;

  @Field(() => Int)
  markedCompleted!: number;

  @Field(() => Int)
  skippedBlocked!: number;

  @Field(() => Int)
  skippedConflicts!: number;

  @Field(() => Int)
  seriesEnded!: number;

  @Field(() => Int, { nullable: true })
  durationMs?: number | null;

  @Field(() => String, { nullable: true })
  error?: string | null;
}
