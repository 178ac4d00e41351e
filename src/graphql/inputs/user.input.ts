import { IsEmail, IsEnum, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { Role } from '../enums';

@InputType()
export class CreateUserInput {
  @Field()
  @MaxLength(254)
  @IsEmail({}, { message: 'must be a valid email address' })
  email!: string;

  @Field()
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field(() => Role)
  @IsEnum(Role)
  role!: Role;
}
