import type { GenerationRun, SessionStatus } from '../generated/prisma/client';
import { SessionStatus as SessionStatuses } from '../generated/prisma/enums';
import type { ServiceDeps } from './context';

export interface Stats {
  activeRecurringBookings: number;
  sessionsByStatus: { status: SessionStatus; count: number }[];
  upcomingSessionsNext7Days: number;
  coachUtilization: { coachId: string; bookedSlots: number }[];
  lastGenerationRun: GenerationRun | null;
}

const WEEK_MS = 7 * 86_400_000;

/** The owner's dashboard numbers: the seed's "useful queries", one SQL statement each. */
export class StatsService {
  constructor(private readonly deps: ServiceDeps) {}

  async stats(): Promise<Stats> {
    const prisma = this.deps.db.prisma;
    const now = this.deps.now();
    const weekAhead = new Date(now.getTime() + WEEK_MS);
    const [active, byStatus, [upcoming], utilization, lastGenerationRun] = await Promise.all([
      prisma.recurringBooking.count({ where: { status: 'ACTIVE' } }),
      prisma.$queryRaw<{ status: SessionStatus; count: number }[]>`
        SELECT status::text AS status, count(*)::int AS count FROM training_sessions GROUP BY status`,
      prisma.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM training_sessions
        WHERE status = 'SCHEDULED' AND start_time >= ${now} AND start_time < ${weekAhead}`,
      prisma.$queryRaw<{ coachId: string; bookedSlots: number }[]>`
        SELECT coach_id::text AS "coachId", count(*)::int AS "bookedSlots" FROM training_sessions
        WHERE status = 'SCHEDULED' AND start_time > ${now}
        GROUP BY coach_id ORDER BY count(*) DESC, coach_id`,
      prisma.generationRun.findFirst({ orderBy: [{ startedAt: 'desc' }, { id: 'desc' }] }),
    ]);
    const counted = new Map(byStatus.map((row) => [row.status, row.count]));
    return {
      activeRecurringBookings: active,
      // Every status, zero included, in the enum's order.
      sessionsByStatus: Object.values(SessionStatuses).map((status) => ({ status, count: counted.get(status) ?? 0 })),
      upcomingSessionsNext7Days: upcoming.count,
      coachUtilization: utilization,
      lastGenerationRun,
    };
  }
}
