import DataLoader from 'dataloader';
import type { PrismaClient, SessionStatus, TrainingSession } from '../generated/prisma/client';

/** RecurringBooking.sessions(from, to, status) for one booking. */
export interface BookingSessionsKey {
  recurringBookingId: string;
  from?: Date | null;
  to?: Date | null;
  status?: SessionStatus[] | null;
}

const argsKey = (key: BookingSessionsKey) =>
  JSON.stringify([key.from?.toISOString() ?? null, key.to?.toISOString() ?? null, key.status ?? null]);

/**
 * Sessions of many bookings in one query per distinct argument set (a list of bookings
 * asking the same thing costs one query), ordered by start time. from/to bound the start: [from, to).
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
          const { from, to, status } = group[0];
          const rows = await prisma.trainingSession.findMany({
            where: {
              recurringBookingId: { in: [...new Set(group.map((k) => k.recurringBookingId))] },
              ...(status ? { status: { in: status } } : {}),
              ...(from || to ? { startTime: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
            },
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
