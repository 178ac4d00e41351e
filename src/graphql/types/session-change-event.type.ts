import { Field, ObjectType } from 'type-graphql';
import type { SessionChangeKind as Kind } from '../../runtime/event-publisher';
import { SessionChangeKind, SessionStatus } from '../enums';
import { TrainingSession } from './session.type';

/** One committed change of a session, as subscribers receive it. previousStatus is set for STATUS_CHANGED. */
@ObjectType({ simpleResolvers: true })
export class SessionChangeEvent {
  @Field(() => SessionChangeKind)
  kind!: Kind;

  @Field(() => TrainingSession)
  session!: TrainingSession;

  @Field(() => SessionStatus, { nullable: true })
  previousStatus?: SessionStatus | null;

  @Field()
  at!: Date;
}
