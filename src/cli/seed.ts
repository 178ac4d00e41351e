import { runCli, withDatabase } from './cli-context';

/**
 * npm run seed: a demo studio (an owner, two coaches with weekly hours and default
 * rooms, three members), printing each user's token. Safe to run again: existing
 * rows are kept.
 */
const WEEKDAYS = [1, 2, 3, 4, 5];

async function main(): Promise<void> {
  await withDatabase(async ({ db, tokens }) => {
    const { prisma } = db;

    const user = (email: string, name: string, role: 'OWNER' | 'COACH' | 'MEMBER') =>
      prisma.user.upsert({ where: { email }, create: { email, name, role }, update: {} });
    const room = (name: string, capacity: number) => prisma.room.upsert({ where: { name }, create: { name, capacity }, update: {} });

    const owner = await user('owner@studio.test', 'Olivia Owner', 'OWNER');
    const studioA = await room('Studio A', 1);
    const studioB = await room('Studio B', 2);
    const coaches = [
      { coach: await user('carla@studio.test', 'Carla Coach', 'COACH'), room: studioA, hours: [9 * 60, 17 * 60] },
      { coach: await user('ben@studio.test', 'Ben Coach', 'COACH'), room: studioB, hours: [12 * 60, 20 * 60] },
    ];
    for (const { coach, room: defaultRoom, hours } of coaches) {
      await prisma.coachSettings.upsert({
        where: { coachId: coach.id },
        create: { coachId: coach.id, defaultRoomId: defaultRoom.id, defaultDurationMinutes: 60 },
        update: {},
      });
      if ((await prisma.weeklyAvailability.count({ where: { coachId: coach.id } })) === 0) {
        await prisma.weeklyAvailability.createMany({
          data: WEEKDAYS.map((dayOfWeek) => ({ coachId: coach.id, dayOfWeek, startMinute: hours[0], endMinute: hours[1] })),
        });
      }
    }
    const members = [
      await user('mia@studio.test', 'Mia Member', 'MEMBER'),
      await user('max@studio.test', 'Max Member', 'MEMBER'),
      await user('mo@studio.test', 'Mo Member', 'MEMBER'),
    ];
    for (const u of [owner, ...coaches.map((c) => c.coach), ...members]) {
      console.log(JSON.stringify({ id: u.id, email: u.email, role: u.role, token: await tokens.sign(u.id) }));
    }
  });
}

runCli(main);
