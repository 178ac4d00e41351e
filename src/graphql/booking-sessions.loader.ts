import DataLoader from 'dataloader';
import { Prisma, type PrismaClient, type SessionStatus, type TrainingSession } from '../generated/prisma/client';

/** RecurringBooking.sessions(from, to, status, first) for one booking. */
export interface BookingSessionsKey {
  recurringBookingId: string;
  from?: Date | null;
  to?: Date | null;
  status?: SessionStatus[] | null;
  /** At most this many, the oldest first. */
  first: number;
}

const argsKey = (key: BookingSessionsKey) =>
  JSON.stringify([key.from?.toISOString() ?? null, key.to?.toISOString() ?? null, key.status ?? null, key.first]);

/**
 * Sessions of many bookings in one query per distinct argument set (a list of bookings
 * asking the same thing costs one query), ordered by start time. from/to bound the start:
 * [from, to). Each booking's list stops at `first` in the database, so a long series costs
 * a page, not its whole history.
 */
export function bookingSessionsLoader(prisma: PrismaClient) {
  return new DataLoader<BookingSessionsKey, TrainingSession[], string>(
    async (keys) => {
      const groups = new Map<string, BookingSessionsKey[]>();
      for (const key of keys) {
        const group = groups.get(argsKey(key));
        if (group) group.push(key);
        else groups.set(argsKey(key), [key]);
      }
      const found = new Map<string, TrainingSession[]>();
      await Promise.all(
        [...groups.entries()].map(async ([args, group]) => {
          const { from, to, status, first } = group[0];
          const bookingIds = [...new Set(group.map((k) => k.recurringBookingId))];
          const page = await prisma.$queryRaw<{ id: string }[]>`
            SELECT id::text FROM (
              SELECT id, row_number() OVER (PARTITION BY recurring_booking_id ORDER BY start_time, id) AS n
              FROM training_sessions
              WHERE recurring_booking_id = ANY(${bookingIds}::uuid[])
                ${status ? Prisma.sql`AND status::text = ANY(${status}::text[])` : Prisma.empty}
                ${from ? Prisma.sql`AND start_time >= ${from}` : Prisma.empty}
                ${to ? Prisma.sql`AND start_time < ${to}` : Prisma.empty}
            ) numbered
            WHERE n <= ${first}`;
          const rows = page.length === 0 ? [] : await prisma.trainingSession.findMany({
            where: { id: { in: page.map((row) => row.id) } },
            orderBy: [{ startTime: 'asc' }, { id: 'asc' }],
          });
          for (const row of rows) {
            const id = `${args}|${row.recurringBookingId}`;
            const list = found.get(id);
            if (list) list.push(row);
            else found.set(id, [row]);
          }
        }),
      );
      return keys.map((key) => found.get(`${argsKey(key)}|${key.recurringBookingId}`) ?? []);
    },
    { cacheKeyFn: (key) => `${argsKey(key)}|${key.recurringBookingId}` },
  );
}
