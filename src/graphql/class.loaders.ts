import DataLoader from 'dataloader';
import type { ClassSchedule, ClassSession, ClassType, StandingReservation, Enrollment, EnrollmentStatus, EnrollmentStatusChange, PrismaClient } from '../generated/prisma/client';

export interface ClassPlaces {
  /** BOOKED, OFFERED, ATTENDED, NO_SHOW: the places taken. */
  held: number;
  waitlisted: number;
}

/** A class's roster as one reader may see it: `memberId` narrows it to that member's own rows. */
export interface RosterKey {
  classId: string;
  memberId: string | null;
  statuses: EnrollmentStatus[] | null;
  first: number;
}

const byId = <T extends { id: string }>(ids: readonly string[], rows: T[]) => {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
};

/** Waitlist order everywhere: joined, then insert order within a millisecond. */
const WAITLIST_ORDER = [{ joinedAt: 'asc' as const }, { arrival: 'asc' as const }];

/** The batched reads behind classes' and enrollments' fields (one query per field per request, not per row). */
export function createClassLoaders(prisma: PrismaClient) {
  return {
    classType: new DataLoader<string, ClassType | null>(async (ids) => byId(ids, await prisma.classType.findMany({ where: { id: { in: [...ids] } } }))),
    classSchedule: new DataLoader<string, ClassSchedule | null>(async (ids) => byId(ids, await prisma.classSchedule.findMany({ where: { id: { in: [...ids] } } }))),
    /** Reservations by id, unchecked: only for an enrollment's own reservation (same member). */
    standingReservation: new DataLoader<string, StandingReservation | null>(async (ids) => byId(ids, await prisma.standingReservation.findMany({ where: { id: { in: [...ids] } } }))),
    /** Enrollments by id, unchecked: only for relations whose reader may see them (a charge's member or an owner). */
    enrollment: new DataLoader<string, Enrollment | null>(async (ids) => byId(ids, await prisma.enrollment.findMany({ where: { id: { in: [...ids] } } }))),
    classSession: new DataLoader<string, ClassSession | null>(async (ids) => byId(ids, await prisma.classSession.findMany({ where: { id: { in: [...ids] } } }))),
    classPlaces: new DataLoader<string, ClassPlaces>(async (ids) => {
      const rows = await prisma.$queryRaw<{ id: string; held: number; waitlisted: number }[]>`
        SELECT class_session_id::text AS id,
               count(*) FILTER (WHERE status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW'))::int AS held,
               count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted
        FROM enrollments WHERE class_session_id = ANY(${[...ids]}::uuid[]) GROUP BY class_session_id`;
      const map = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => map.get(id) ?? { held: 0, waitlisted: 0 });
    }),
    /** 1-based place on its class's waitlist; null unless WAITLISTED. */
    waitlistPosition: new DataLoader<string, number | null>(async (ids) => {
      const rows = await prisma.$queryRaw<{ id: string; position: number }[]>`
        SELECT id, position FROM (
          SELECT e.id::text AS id, row_number() OVER (PARTITION BY e.class_session_id ORDER BY e.joined_at, e.arrival)::int AS position
          FROM enrollments e
          WHERE e.status = 'WAITLISTED'
            AND e.class_session_id IN (SELECT class_session_id FROM enrollments WHERE id = ANY(${[...ids]}::uuid[]))
        ) ranked WHERE id = ANY(${[...ids]}::text[])`;
      const map = new Map(rows.map((row) => [row.id, row.position]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** The member's latest enrollment in the class, keyed `${classId}|${memberId}`. */
    myEnrollment: new DataLoader<string, Enrollment | null>(async (keys) => {
      const pairs = keys.map((key) => key.split('|') as [string, string]);
      const rows = await prisma.enrollment.findMany({
        where: { OR: pairs.map(([classSessionId, memberId]) => ({ classSessionId, memberId })) },
        orderBy: [{ createdAt: 'desc' }, { arrival: 'desc' }],
      });
      return pairs.map(([classId, memberId]) => rows.find((row) => row.classSessionId === classId && row.memberId === memberId) ?? null);
    }),
    roster: new DataLoader<RosterKey, Enrollment[], string>(
      async (keys) => {
        // One query per distinct reader and filter (in practice: one per request).
        const lists = new Map<string, Enrollment[]>();
        const groups = new Map<string, RosterKey[]>();
        for (const key of keys) {
          const group = JSON.stringify([key.memberId, key.statuses]);
          groups.set(group, [...(groups.get(group) ?? []), key]);
        }
        for (const group of groups.values()) {
          const { memberId, statuses } = group[0]!;
          const rows = await prisma.enrollment.findMany({
            where: {
              classSessionId: { in: group.map((key) => key.classId) },
              ...(memberId ? { memberId } : {}),
              ...(statuses ? { status: { in: statuses } } : {}),
            },
            orderBy: WAITLIST_ORDER,
          });
          for (const key of group) lists.set(rosterKey(key), rows.filter((row) => row.classSessionId === key.classId).slice(0, key.first));
        }
        return keys.map((key) => lists.get(rosterKey(key)) ?? []);
      },
      { cacheKeyFn: rosterKey },
    ),
    /** An enrollment's history, oldest first (a handful of entries each). */
    enrollmentHistory: new DataLoader<string, EnrollmentStatusChange[]>(async (ids) => {
      const rows = await prisma.enrollmentStatusChange.findMany({ where: { enrollmentId: { in: [...ids] } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
      return ids.map((id) => rows.filter((row) => row.enrollmentId === id));
    }),
  };
}

function rosterKey(key: RosterKey): string {
  return JSON.stringify([key.classId, key.memberId, key.statuses, key.first]);
}
