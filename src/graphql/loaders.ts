import DataLoader from 'dataloader';
import type { CreditPack, PrismaClient, RecurringBooking, Room, SeriesPause, SessionStatusChange, TrainingSession } from '../generated/prisma/client';
import type { PublicUser, SessionWithRelations } from '../services/session-page.sql';
import { bookingSessionsLoader } from './booking-sessions.loader';
import { createClassLoaders } from './class.loaders';

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
    /** The series that continues a changed one (replacedBy), by the changed one's id. */
    seriesReplacement: new DataLoader<string, RecurringBooking | null>(async (ids) => {
      const rows = await prisma.recurringBooking.findMany({ where: { replacesId: { in: [...ids] } } });
      const byOld = new Map(rows.map((row) => [row.replacesId, row]));
      return ids.map((id) => byOld.get(id) ?? null);
    }),
    /** A series' pauses, earliest first. */
    seriesPauses: new DataLoader<string, SeriesPause[]>(async (ids) => {
      const rows = await prisma.seriesPause.findMany({ where: { recurringBookingId: { in: [...ids] } }, orderBy: [{ fromDate: 'asc' }, { id: 'asc' }] });
      return ids.map((id) => rows.filter((row) => row.recurringBookingId === id));
    }),
    /** Sessions by id, unchecked: only for relations whose reader may see them (a notification's recipient). */
    session: new DataLoader<string, TrainingSession | null>(async (ids) => {
      const rows = await prisma.trainingSession.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Credit packs by id, unchecked: only for Charge.creditPack (the charge's reader may see its pack). */
    creditPack: new DataLoader<string, CreditPack | null>(async (ids) => {
      const rows = await prisma.creditPack.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    bookingSessions: bookingSessionsLoader(prisma),
    ...createClassLoaders(prisma),
    /** A session's status history, oldest first, at most `first` entries (cut in the database). */
    history: new DataLoader<{ sessionId: string; first: number }, SessionStatusChange[], string>(
      async (keys) => {
        const first = Math.max(...keys.map((key) => key.first));
        const sessionIds = [...new Set(keys.map((key) => key.sessionId))];
        const page = await prisma.$queryRaw<{ id: string }[]>`
          SELECT id::text FROM (
            SELECT id, row_number() OVER (PARTITION BY session_id ORDER BY at, id) AS n
            FROM session_status_changes WHERE session_id = ANY(${sessionIds}::uuid[])
          ) numbered
          WHERE n <= ${first}`;
        const rows = page.length === 0 ? [] : await prisma.sessionStatusChange.findMany({
          where: { id: { in: page.map((row) => row.id) } },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
        });
        const bySession = new Map<string, SessionStatusChange[]>();
        for (const row of rows) {
          const list = bySession.get(row.sessionId);
          if (list) list.push(row);
          else bySession.set(row.sessionId, [row]);
        }
        return keys.map((key) => (bySession.get(key.sessionId) ?? []).slice(0, key.first));
      },
      { cacheKeyFn: (key) => `${key.sessionId}|${key.first}` },
    ),
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
