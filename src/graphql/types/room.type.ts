import { Field, ID, Int, ObjectType } from 'type-graphql';

/** capacity: how many sessions may run in the room at the same time. */
@ObjectType({ simpleResolvers: true })
export class Room {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  capacity!: number;
}
