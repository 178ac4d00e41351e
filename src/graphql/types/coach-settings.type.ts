import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Room } from './room.type';
import { User } from './user.type';

/** Relations are resolved in CoachSettingsResolver from coachId / defaultRoomId. */
@ObjectType()
export class CoachSettings {
  /** For client caches: the coach's id (one settings record per coach). */
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  coach!: User;

  @Field(() => Room, { nullable: true })
  defaultRoom?: Room | null;

  @Field(() => Int)
  defaultDurationMinutes!: number;

  /** The price of sessions booked without one; null = free. */
  @Field(() => Int, { nullable: true })
  sessionPriceCents?: number | null;
}
