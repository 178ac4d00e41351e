import type { EnrollmentStatus, GenerationRun, SessionStatus } from '../generated/prisma/client';
import { EnrollmentStatus as EnrollmentStatuses, SessionStatus as SessionStatuses } from '../generated/prisma/enums';
import type { ServiceDeps } from './context';

export interface Stats {
  activeRecurringBookings: number;
  sessionsByStatus: { status: SessionStatus; count: number }[];
  upcomingSessionsNext7Days: number;
  coachUtilization: { coachId: string; bookedSlots: number }[];
  lastGenerationRun: GenerationRun | null;
  classes: ClassStats;
}

export interface ClassStats {
  activeClassSchedules: number;
  activeStandingReservations: number;
  upcomingClassesNext7Days: number;
  placesNext7Days: number;
  bookedNext7Days: number;
  waitlistedNext7Days: number;
  enrollmentsByStatus: { status: EnrollmentStatus; count: number }[];
  attendanceRateLast30Days: number | null;
}

const WEEK_MS = 7 * 86_400_000;

/** The owner's dashboard numbers: the seed's "useful queries", one SQL statement each. */
export class StatsService {
  constructor(private readonly deps: ServiceDeps) {}

  async stats(): Promise<Stats> {
    const prisma = this.deps.db.prisma;
    const now = this.deps.now();
    const weekAhead = new Date(now.getTime() + WEEK_MS);
    const [active, byStatus, [upcoming], utilization, lastGenerationRun, classes] = await Promise.all([
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
      this.classStats(now, weekAhead),
    ]);
    const counted = new Map(byStatus.map((row) => [row.status, row.count]));
    return {
      activeRecurringBookings: active,
      // Every status, zero included, in the enum's order.
      sessionsByStatus: Object.values(SessionStatuses).map((status) => ({ status, count: counted.get(status) ?? 0 })),
      upcomingSessionsNext7Days: upcoming.count,
      coachUtilization: utilization,
      lastGenerationRun,
      classes,
    };
  }

  /** Classes: the week ahead's places (held: BOOKED or OFFERED), every enrollment status, and how many of the last 30 days' booked members came. */
  private async classStats(now: Date, weekAhead: Date): Promise<ClassStats> {
    const prisma = this.deps.db.prisma;
    const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
    const [[week], byStatus] = await Promise.all([
      prisma.$queryRaw<Omit<ClassStats, 'enrollmentsByStatus'>[]>`
        WITH upcoming AS (
          SELECT id, capacity FROM class_sessions WHERE status = 'SCHEDULED' AND start_time >= ${now} AND start_time < ${weekAhead}
        ), marked AS (
          SELECT e.status FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
          WHERE c.end_time >= ${monthAgo} AND c.end_time <= ${now} AND e.status IN ('ATTENDED', 'NO_SHOW')
        )
        SELECT (SELECT count(*)::int FROM class_schedules WHERE status = 'ACTIVE') AS "activeClassSchedules",
               (SELECT count(*)::int FROM standing_reservations WHERE status = 'ACTIVE') AS "activeStandingReservations",
               (SELECT count(*)::int FROM upcoming) AS "upcomingClassesNext7Days",
               (SELECT coalesce(sum(capacity), 0)::int FROM upcoming) AS "placesNext7Days",
               (SELECT count(*)::int FROM enrollments WHERE class_session_id IN (SELECT id FROM upcoming) AND status IN ('BOOKED', 'OFFERED')) AS "bookedNext7Days",
               (SELECT count(*)::int FROM enrollments WHERE class_session_id IN (SELECT id FROM upcoming) AND status = 'WAITLISTED') AS "waitlistedNext7Days",
               (SELECT round(count(*) FILTER (WHERE status = 'ATTENDED')::numeric / nullif(count(*), 0), 4)::float8 FROM marked) AS "attendanceRateLast30Days"`,
      prisma.$queryRaw<{ status: EnrollmentStatus; count: number }[]>`
        SELECT status::text AS status, count(*)::int AS count FROM enrollments GROUP BY status`,
    ]);
    const counted = new Map(byStatus.map((row) => [row.status, row.count]));
    return {
      ...week!,
      enrollmentsByStatus: Object.values(EnrollmentStatuses).map((status) => ({ status, count: counted.get(status) ?? 0 })),
    };
  }
}
