import { Field, ID, Int, ObjectType } from 'type-graphql';
import { SessionStatus } from '../enums';
import { Room } from './room.type';
import { User } from './user.type';

/** Relations (coach, member, room, history, recurringBooking) are resolved in SessionResolver. */
@ObjectType({ simpleResolvers: true })
export class TrainingSession {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  coach!: User;

  @Field(() => User)
  member!: User;

  @Field(() => Room)
  room!: Room;

  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  /** The slot this session was generated for; stays put when the session is rescheduled. */
  @Field(() => Date, { nullable: true })
  occurrenceStart?: Date | null;

  @Field(() => Date, { nullable: true })
  cancelledAt?: Date | null;

  @Field(() => String, { nullable: true })
  cancellationReason?: string | null;

  @Field(() => Date, { nullable: true })
  completedAt?: Date | null;

  /** Fixed when the session was created (the booking's, the series' or the coach's price); null = free. */
  @Field(() => Int, { nullable: true })
  priceCents?: number | null;
}

@ObjectType({ simpleResolvers: true })
export class SessionStatusChange {
  @Field(() => ID)
  id!: string;

  @Field(() => SessionStatus, { nullable: true })
  from?: SessionStatus | null;

  @Field(() => SessionStatus)
  to!: SessionStatus;

  @Field()
  at!: Date;

  @Field(() => User, { nullable: true })
  actor?: User | null;
}
