import { addDays, parseLocalTime } from '../../src/domain/civil-date';
import { localDateOf, zonedDateTimeToInstant } from '../../src/domain/zone-time';
import { CreateRoomDocument, SetWeeklyAvailabilityDocument, UpdateCoachSettingsDocument } from '../generated/graphql';
import type { TestServer, TestUser } from './server';

/** Arranging coaches' schedules for availability and booking specs. */

/** The instant of local `time` ("HH:mm") on the date `daysAhead` days after today in `timezone`. */
export function localAt(timezone: string, daysAhead: number, time: string): Date {
  const minutes = parseLocalTime(time);
  if (minutes === null) throw new Error(`bad time ${time}`);
  return zonedDateTimeToInstant(addDays(localDateOf(new Date(), timezone), daysAhead), minutes, timezone);
}

export const plusMinutes = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

let rooms = 0;

/** A room with a unique name. */
export async function createRoom(server: TestServer, owner: TestUser, capacity = 1): Promise<string> {
  rooms += 1;
  const data = await server.ok(CreateRoomDocument, { name: `Room ${process.pid}-${rooms}`, capacity }, owner);
  return data.createRoom.id;
}

/** A coach bookable every day between `from` and `to` (local), with a default room of its own. */
export async function coachWithHours(
  server: TestServer,
  owner: TestUser,
  options: { from?: string; to?: string; roomCapacity?: number; defaultDurationMinutes?: number } = {},
): Promise<{ coach: TestUser; roomId: string }> {
  const coach = await server.user('COACH');
  const slots = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({ dayOfWeek, startTime: options.from ?? '06:00', endTime: options.to ?? '22:00' }));
  await server.ok(SetWeeklyAvailabilityDocument, { slots }, coach);
  const roomId = await createRoom(server, owner, options.roomCapacity ?? 1);
  await server.ok(UpdateCoachSettingsDocument, { input: { defaultRoomId: roomId, defaultDurationMinutes: options.defaultDurationMinutes ?? 60 } }, coach);
  return { coach, roomId };
}

/** Row counts of the tables a booking or an availability change writes. */
export async function writeCounts(server: TestServer): Promise<Record<string, number>> {
  const [row] = await server.db.query<Record<string, string>>(`
    SELECT (SELECT count(*) FROM training_sessions) AS sessions,
           (SELECT count(*) FROM training_sessions WHERE status = 'CANCELLED') AS cancelled,
           (SELECT count(*) FROM session_status_changes) AS history,
           (SELECT count(*) FROM weekly_availability) AS weekly,
           (SELECT count(*) FROM availability_additions) AS additions,
           (SELECT count(*) FROM availability_blocks) AS blocks`);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
