import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SessionStatusChange as HistoryRow, TrainingSession as SessionRow } from '../../generated/prisma/client';
import type { Context } from '../context';
import { loadOrFail } from '../loaders';
import { Room } from '../types/room.type';
import { SessionStatusChange, TrainingSession } from '../types/session.type';
import { User } from '../types/user.type';

/** Relation fields of a session, batched through the request's loaders (no N+1). */
@Resolver(() => TrainingSession)
export class SessionResolver {
  @FieldResolver(() => User)
  coach(@Root() session: SessionRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, session.coachId, 'User');
  }

  @FieldResolver(() => User)
  member(@Root() session: SessionRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, session.memberId, 'User');
  }

  @FieldResolver(() => Room)
  room(@Root() session: SessionRow, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.room, session.roomId, 'Room');
  }

  @FieldResolver(() => [SessionStatusChange])
  async history(@Root() session: SessionRow, @Ctx() ctx: Context) {
    const rows = await ctx.loaders.history.load(session.id);
    return rows.map((row) => ({ ...row, from: row.fromStatus, to: row.toStatus }));
  }
}

@Resolver(() => SessionStatusChange)
export class SessionStatusChangeResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() change: HistoryRow, @Ctx() ctx: Context) {
    return change.actorId ? ctx.loaders.user.load(change.actorId) : null;
  }
}
