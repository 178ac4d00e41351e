import { Field, ObjectType } from 'type-graphql';
import { User } from './user.type';

@ObjectType({ description: 'A signed-in session: a short-lived access token (the bearer header) and a single-use refresh token.' })
export class AuthPayload {
  @Field()
  accessToken!: string;

  @Field()
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Opaque, single use: refreshSession trades it for a new pair. Presenting a used one revokes the whole session.' })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}
