import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../enums';

@ObjectType({ simpleResolvers: true })
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => Role)
  role!: Role;

  /** Null in the database means the studio's zone; UserResolver.timezone fills it in. */
  timezone?: string | null;
}
