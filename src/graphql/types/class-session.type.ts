import { Field, ID, Int, ObjectType } from 'type-graphql';
import { EnrollmentStatus, SessionStatus } from '../enums';
import { ClassType } from './class-type.type';
import { Room } from './room.type';
import { PageInfo } from './session-connection.type';
import { User } from './user.type';

/** Relations, counts and the roster are resolved in ClassSessionResolver. */
@ObjectType({ simpleResolvers: true })
export class ClassSession {
  @Field(() => ID)
  id!: string;

  @Field(() => ClassType)
  classType!: ClassType;

  @Field(() => User)
  coach!: User;

  @Field(() => Room)
  room!: Room;

  @Field()
  startTime!: Date;

  @Field()
  endTime!: Date;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => String, { nullable: true })
  cancellationReason?: string | null;

  @Field(() => Int)
  capacity!: number;

  @Field(() => Int, { description: 'Places taken: BOOKED, ATTENDED and NO_SHOW enrollments, and places held for an open offer.' })
  bookedCount!: number;

  @Field(() => Int)
  waitlistCount!: number;

  @Field(() => Int, { description: 'capacity - bookedCount.' })
  spotsLeft!: number;
}

/** Relations, waitlist position and history are resolved in EnrollmentResolver. */
@ObjectType({ simpleResolvers: true })
export class Enrollment {
  @Field(() => ID)
  id!: string;

  @Field(() => ClassSession)
  session!: ClassSession;

  @Field(() => User)
  member!: User;

  @Field(() => EnrollmentStatus)
  status!: EnrollmentStatus;

  @Field(() => Int, { nullable: true })
  waitlistPosition?: number | null;

  @Field(() => Date, { nullable: true })
  offerExpiresAt?: Date | null;

  @Field()
  createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class EnrollmentStatusChange {
  @Field(() => ID)
  id!: string;

  @Field(() => EnrollmentStatus, { nullable: true })
  from?: EnrollmentStatus | null;

  @Field(() => EnrollmentStatus)
  to!: EnrollmentStatus;

  @Field()
  at!: Date;

  @Field(() => User, { nullable: true })
  actor?: User | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class ClassSessionEdge {
  @Field()
  cursor!: string;

  @Field(() => ClassSession)
  node!: ClassSession;
}

/** A page of the timetable ordered by (startTime, id); `totalCount` counts the whole filtered list. */
@ObjectType({ simpleResolvers: true })
export class ClassSessionConnection {
  @Field(() => [ClassSessionEdge])
  edges!: ClassSessionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType({ simpleResolvers: true })
export class EnrollmentEdge {
  @Field()
  cursor!: string;

  @Field(() => Enrollment)
  node!: Enrollment;
}

/** A page of enrollments ordered by their class's start. */
@ObjectType({ simpleResolvers: true })
export class EnrollmentConnection {
  @Field(() => [EnrollmentEdge])
  edges!: EnrollmentEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
