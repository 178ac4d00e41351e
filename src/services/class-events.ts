import type { ServiceDeps } from './context';
import type { Promotion } from './waitlist-promotion';

/**
 * Announces committed class changes (classSessionChanged, enrollmentChanged). When the line
 * moved (anything but a new enrollment joining at its end), every waitlisted member of
 * those classes is announced too: their position may have changed.
 */
export async function announceClasses(
  deps: Pick<ServiceDeps, 'db' | 'events' | 'log'>,
  classIds: readonly string[],
  enrollmentIds: readonly string[],
  options: { lineMoved?: boolean } = {},
): Promise<void> {
  // The change is committed: a failed announcement is logged, never the caller's error (clients resynchronise by query).
  await announce(deps, classIds, enrollmentIds, options.lineMoved ?? true).catch((error: unknown) => {
    deps.log.warn({ err: error }, 'could not announce class changes');
  });
}

async function announce(deps: Pick<ServiceDeps, 'db' | 'events'>, classIds: readonly string[], enrollmentIds: readonly string[], lineMoved: boolean): Promise<void> {
  const enrollments = new Set(enrollmentIds);
  const classes = new Set(classIds);
  // An enrollment withdrawn elsewhere (booked at the same time) changed its own class too.
  if (enrollmentIds.length > 0) {
    const rows = await deps.db.prisma.enrollment.findMany({ where: { id: { in: [...enrollmentIds] } }, select: { classSessionId: true } });
    for (const row of rows) classes.add(row.classSessionId);
  }
  if (lineMoved && classes.size > 0) {
    const waiting = await deps.db.prisma.enrollment.findMany({ where: { classSessionId: { in: [...classes] }, status: 'WAITLISTED' }, select: { id: true } });
    for (const { id } of waiting) enrollments.add(id);
  }
  deps.events.classesChanged({ classIds: [...classes], enrollmentIds: [...enrollments] });
}

/** The enrollments a promotion moved. */
export const promoted = (p: Promotion | null | undefined): string[] => (p ? [...p.booked, ...p.offered, ...p.expired] : []);
