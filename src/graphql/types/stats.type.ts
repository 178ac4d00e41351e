import { Field, Int, ObjectType } from 'type-graphql';
import { SessionStatus } from '../enums';
import { GenerationRun } from './generation.type';
import { User } from './user.type';

@ObjectType({ simpleResolvers: true })
export class StatusCount {
  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => Int)
  count!: number;
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
}
