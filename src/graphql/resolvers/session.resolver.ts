import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SessionStatusChange as HistoryRow, TrainingSession as SessionRow } from '../../generated/prisma/client';
import type { SessionWithRelations } from '../../services/session-page.sql';
import type { Context } from '../context';
import { loadOrFail } from '../loaders';
import { Room } from '../types/room.type';
import { SessionStatusChange, TrainingSession } from '../types/session.type';
import { User } from '../types/user.type';

/**
 * A session as resolvers receive it: the sessions page and the event relay read its
 * relations in the same statement and attach them; other paths batch them through the
 * request's loaders (no N+1). An attached relation is returned as it is, synchronously:
 * a promise per relation per row is most of what a page costs graphql-js to execute.
 */
export type SessionRoot = SessionRow & Partial<Omit<SessionWithRelations, keyof SessionRow>>;

/** A session changes status a handful of times (booked, ended, a correction): 20 is all of it in practice. */
export const DEFAULT_HISTORY_SIZE = 20;

@Resolver(() => TrainingSession)
export class SessionResolver {
  @FieldResolver(() => User)
  coach(@Root() session: SessionRoot, @Ctx() ctx: Context) {
    return session.coach ?? loadOrFail(ctx.loaders.user, session.coachId, 'User');
  }

  @FieldResolver(() => User)
  member(@Root() session: SessionRoot, @Ctx() ctx: Context) {
    return session.member ?? loadOrFail(ctx.loaders.user, session.memberId, 'User');
  }

  @FieldResolver(() => Room)
  room(@Root() session: SessionRoot, @Ctx() ctx: Context) {
    return session.room ?? loadOrFail(ctx.loaders.room, session.roomId, 'Room');
  }

  @FieldResolver(() => [SessionStatusChange], { description: 'Oldest first; first: 1 to 200.' })
  async history(
    @Root() session: SessionRow,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_HISTORY_SIZE }) first?: number | null,
  ) {
    const rows = await ctx.loaders.history.load({ sessionId: session.id, first: first ?? DEFAULT_HISTORY_SIZE });
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
