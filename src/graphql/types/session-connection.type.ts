import { Field, Int, ObjectType } from 'type-graphql';
import { TrainingSession } from './session.type';

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class SessionEdge {
  @Field()
  cursor!: string;

  @Field(() => TrainingSession)
  node!: TrainingSession;
}

/** A page of sessions ordered by (startTime, id); `totalCount` counts the whole filtered list. */
@ObjectType({ simpleResolvers: true })
export class SessionConnection {
  @Field(() => [SessionEdge])
  edges!: SessionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
