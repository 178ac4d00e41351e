import type { Actor } from '../auth/actor';
import { MAX_PAGE_SIZE } from '../domain/limits';
import { badInput, notFound } from '../errors';
import type { SessionStatus, TrainingSession } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import { decodeCursor, emptyPage, pageOf, type Page } from './cursor';
import { readSessionPage, type PageWhere, type SessionWithRelations } from './session-page.sql';
import { canSeeParties, isUuid, narrowToActor } from './visibility';

export interface SessionFilter {
  coachId?: string | null;
  memberId?: string | null;
  recurringBookingId?: string | null;
  status?: SessionStatus[] | null;
  /** Sessions starting at or after this instant. */
  from?: Date | null;
  /** Sessions starting before this instant. */
  to?: Date | null;
}

export type SessionPage = Page<SessionWithRelations>;

export const DEFAULT_PAGE_SIZE = 50;

/** Reading sessions: one by id, or pages of them ordered by (startTime, id); members see their own, coaches theirs. */
export class SessionQueryService {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  async get(actor: Actor, id: string): Promise<TrainingSession> {
    const row = isUuid(id) ? await this.prisma.trainingSession.findUnique({ where: { id } }) : null;
    if (!row || !canSeeParties(actor, row)) throw notFound('Session', 'id');
    return row;
  }

  async page(actor: Actor, filter: SessionFilter | null | undefined, first: number, after?: string | null): Promise<SessionPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
    const cursor = after ? decodeCursor(after) : null;
    const where = this.whereOf(actor, filter ?? {});
    if (!where) return emptyPage();
    const { sessions, totalCount } = await readSessionPage(this.deps.db.pool, where, cursor, first + 1);
    return pageOf(sessions, first, totalCount, (node) => node);
  }

  /** The filter narrowed to what the actor may see; null when nothing can match. */
  private whereOf(actor: Actor, filter: SessionFilter): PageWhere | null {
    const { from, to } = filter;
    if (from && to && !(to.getTime() > from.getTime())) throw badInput('filter.to', 'to must be after from');
    for (const id of [filter.coachId, filter.memberId, filter.recurringBookingId]) {
      if (id && !isUuid(id)) return null; // cannot exist
    }
    const scope = narrowToActor(actor, filter);
    if (!scope) return null;
    return {
      ...scope,
      recurringBookingId: filter.recurringBookingId ?? undefined,
      status: filter.status ?? undefined,
      from: from ?? undefined,
      to: to ?? undefined,
    };
  }
}
