import type { Actor } from '../auth/actor';
import { isUuid } from '../domain/ids';
import { MAX_PAGE_SIZE } from '../domain/limits';
import { badInput } from '../errors';
import { Prisma, type ClassSession, type Enrollment, type EnrollmentStatus, type SessionStatus } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import { decodeCursor, emptyPage, pageOf, type Page } from './cursor';

export interface ClassSessionFilter {
  from?: Date | null;
  to?: Date | null;
  classTypeId?: string | null;
  coachId?: string | null;
  roomId?: string | null;
  status?: SessionStatus[] | null;
  /** Only classes still open for enrollment with a free place or a free waitlist place. */
  available?: boolean | null;
}

export interface EnrollmentFilter {
  from?: Date | null;
  to?: Date | null;
  status?: EnrollmentStatus[] | null;
}

/** A class with its place counts, read in the same statement (the resolvers prime their loader with them). */
export type ClassWithPlaces = ClassSession & { held: number; waitlisted: number };
/** An enrollment with its class's start: the page order's key. */
export type EnrollmentInPage = Enrollment & { classStart: Date };

const PLACES = Prisma.sql`
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE e.status IN ('BOOKED', 'OFFERED', 'ATTENDED', 'NO_SHOW'))::int AS held,
           count(*) FILTER (WHERE e.status = 'WAITLISTED')::int AS waitlisted
    FROM enrollments e WHERE e.class_session_id = c.id
  ) p ON TRUE`;

function checkPage(first: number, from?: Date | null, to?: Date | null): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  if (from && to && !(to.getTime() > from.getTime())) throw badInput('filter.to', 'to must be after from');
}

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`);

/** The timetable and a member's enrollments, in pages ordered by (class start, id). */
export class ClassQueryService {
  constructor(private readonly deps: ServiceDeps) {}

  /** The timetable is everyone's to read. */
  async classes(filter: ClassSessionFilter | null | undefined, first: number, after?: string | null): Promise<Page<ClassWithPlaces>> {
    const f = filter ?? {};
    checkPage(first, f.from, f.to);
    const cursor = after ? decodeCursor(after) : null;
    if ([f.classTypeId, f.coachId, f.roomId].some((id) => id && !isUuid(id))) return emptyPage(); // cannot exist
    const where: Prisma.Sql[] = [];
    if (f.from) where.push(Prisma.sql`c.start_time >= ${f.from}`);
    if (f.to) where.push(Prisma.sql`c.start_time < ${f.to}`);
    if (f.classTypeId) where.push(Prisma.sql`c.class_type_id = ${f.classTypeId}::uuid`);
    if (f.coachId) where.push(Prisma.sql`c.coach_id = ${f.coachId}::uuid`);
    if (f.roomId) where.push(Prisma.sql`c.room_id = ${f.roomId}::uuid`);
    if (f.status?.length) where.push(Prisma.sql`c.status::text = ANY(${f.status}::text[])`);
    if (f.available) {
      where.push(Prisma.sql`c.status = 'SCHEDULED' AND c.start_time > ${this.deps.now()}
        AND (p.held < c.capacity OR p.waitlisted < c.waitlist_capacity)`);
    }
    const after_ = cursor ? Prisma.sql`AND (c.start_time, c.id) > (${cursor.startTime}, ${cursor.id}::uuid)` : Prisma.empty;
    const prisma = this.deps.db.prisma;
    const [rows, [{ total }]] = await Promise.all([
      prisma.$queryRaw<{ id: string; held: number; waitlisted: number }[]>`
        SELECT c.id::text, p.held, p.waitlisted FROM class_sessions c ${PLACES}
        WHERE ${and(where)} ${after_}
        ORDER BY c.start_time, c.id LIMIT ${first + 1}`,
      prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM class_sessions c ${PLACES} WHERE ${and(where)}`,
    ]);
    const byId = new Map((await prisma.classSession.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((c) => [c.id, c]));
    const classes = rows.flatMap((r) => {
      const cls = byId.get(r.id);
      return cls ? [{ ...cls, held: r.held, waitlisted: r.waitlisted }] : [];
    });
    return pageOf(classes, first, total, (c) => c);
  }

  /** The caller's own enrollments; owners name the member (left out: their own, which is none). */
  async enrollments(actor: Actor, filter: EnrollmentFilter | null | undefined, memberId: string | null | undefined, first: number, after?: string | null): Promise<Page<EnrollmentInPage>> {
    const f = filter ?? {};
    checkPage(first, f.from, f.to);
    const cursor = after ? decodeCursor(after) : null;
    const member = actor.role === 'OWNER' ? (memberId ?? actor.id) : actor.id;
    if (actor.role !== 'OWNER' && memberId && memberId !== actor.id) return emptyPage();
    if (!isUuid(member)) return emptyPage();
    const where: Prisma.Sql[] = [Prisma.sql`e.member_id = ${member}::uuid`];
    if (f.from) where.push(Prisma.sql`c.start_time >= ${f.from}`);
    if (f.to) where.push(Prisma.sql`c.start_time < ${f.to}`);
    if (f.status?.length) where.push(Prisma.sql`e.status::text = ANY(${f.status}::text[])`);
    const after_ = cursor ? Prisma.sql`AND (c.start_time, e.id) > (${cursor.startTime}, ${cursor.id}::uuid)` : Prisma.empty;
    const prisma = this.deps.db.prisma;
    const [rows, [{ total }]] = await Promise.all([
      prisma.$queryRaw<{ id: string; start: Date }[]>`
        SELECT e.id::text, c.start_time AS start FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id
        WHERE ${and(where)} ${after_}
        ORDER BY c.start_time, e.id LIMIT ${first + 1}`,
      prisma.$queryRaw<{ total: number }[]>`
        SELECT count(*)::int AS total FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id WHERE ${and(where)}`,
    ]);
    const byId = new Map((await prisma.enrollment.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((e) => [e.id, e]));
    const enrollments = rows.flatMap((r) => {
      const e = byId.get(r.id);
      return e ? [{ ...e, classStart: r.start }] : [];
    });
    return pageOf(enrollments, first, total, (e) => ({ startTime: e.classStart, id: e.id }));
  }
}
