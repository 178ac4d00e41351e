import { Field, Int, ObjectType } from 'type-graphql';
import { Room } from './room.type';
import { User } from './user.type';

/** Relations are resolved in CoachSettingsResolver from coachId / defaultRoomId. */
@ObjectType()
export class CoachSettings {
  @Field(() => User)
  coach!: User;

  @Field(() => Room, { nullable: true })
  defaultRoom?: Room | null;

  @Field(() => Int)
  defaultDurationMinutes!: number;
}
