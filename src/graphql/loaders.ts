import DataLoader from 'dataloader';
import type { PrismaClient, RecurringBooking, Room, SessionStatusChange } from '../generated/prisma/client';
import type { PublicUser, SessionWithRelations } from '../services/session-page.sql';
import { bookingSessionsLoader } from './booking-sessions.loader';

/** Batches the lookups behind relation fields so a list costs one query per relation, not per row. */
export function createLoaders(prisma: PrismaClient) {
  return {
    user: new DataLoader<string, PublicUser | null>(async (ids) => {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } }, omit: { passwordHash: true, tokensValidAfter: true } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    room: new DataLoader<string, Room | null>(async (ids) => {
      const rows = await prisma.room.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    recurringBooking: new DataLoader<string, RecurringBooking | null>(async (ids) => {
      const rows = await prisma.recurringBooking.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    bookingSessions: bookingSessionsLoader(prisma),
    /** A session's status history, oldest first. */
    history: new DataLoader<string, SessionStatusChange[]>(async (sessionIds) => {
      const rows = await prisma.sessionStatusChange.findMany({
        where: { sessionId: { in: [...sessionIds] } },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      });
      const bySession = new Map<string, SessionStatusChange[]>();
      for (const row of rows) bySession.set(row.sessionId, [...(bySession.get(row.sessionId) ?? []), row]);
      return sessionIds.map((id) => bySession.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Relations the event relay read with a session: nested relation fields (a series' coach, say) then cost no query. */
export function primeSessionRelations(loaders: Loaders, { coach, member, room, recurringBooking }: SessionWithRelations): void {
  loaders.user.prime(coach.id, coach).prime(member.id, member);
  loaders.room.prime(room.id, room);
  if (recurringBooking) loaders.recurringBooking.prime(recurringBooking.id, recurringBooking);
}

export async function loadOrFail<T>(loader: DataLoader<string, T | null>, id: string, what: string): Promise<T> {
  const value = await loader.load(id);
  if (!value) throw new Error(`${what} ${id} vanished while being read`);
  return value;
}
