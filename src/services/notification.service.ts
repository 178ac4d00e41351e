import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { isUuid } from '../domain/ids';
import { AppError, badInput } from '../errors';
import type { Notification } from '../generated/prisma/client';
import { memberLeadsSql, replanMemberReminders } from '../notifications/reminders';
import type { ServiceDeps } from './context';

export const DEFAULT_NOTIFICATIONS_PAGE = 20;
export const MAX_NOTIFICATIONS_PAGE = 200;
export const MIN_LEAD_MINUTES = 5;
export const MAX_LEAD_MINUTES = 10_080;
export const MAX_LEADS = 5;
const MAX_IDS = 1_000;

export interface NotificationPage {
  edges: { cursor: string; node: Notification }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
  unreadCount: number;
}

export interface NotificationPreferencesView {
  emailConfirmations: boolean;
  emailReminders: boolean;
  emailCancellations: boolean;
  emailBilling: boolean;
  /** The person's own leads, else the studio's. */
  reminderLeadMinutes: number[];
}

export interface NotificationPreferencesIn {
  emailConfirmations?: boolean | null;
  emailReminders?: boolean | null;
  emailCancellations?: boolean | null;
  emailBilling?: boolean | null;
  reminderLeadMinutes?: number[] | null;
}

/** Opaque to clients: base64url of [createdAt, id], the page order's key (newest first). */
function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isUuid(value[1])) {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: value[1] };
    }
  } catch {
    // not one of ours
  }
  throw badInput('after', 'after is not a cursor this server issued');
}

/** Lead minutes as given: each 5-10080, at most 5; duplicates dropped, sorted. */
export function validLeads(leads: number[], field: string): number[] {
  if (leads.length > MAX_LEADS) throw badInput(field, `At most ${MAX_LEADS} reminder leads`);
  for (const [index, lead] of leads.entries()) {
    if (!Number.isInteger(lead) || lead < MIN_LEAD_MINUTES || lead > MAX_LEAD_MINUTES) {
      throw badInput(`${field}.${index}`, `Each reminder lead must be between ${MIN_LEAD_MINUTES} and ${MAX_LEAD_MINUTES} minutes`);
    }
  }
  return [...new Set(leads)].sort((a, b) => a - b);
}

/** A person's own in-app notifications and email preferences. Everyone reads and changes only their own. */
export class NotificationService {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  async page(actor: Actor, first: number, after?: string | null, unreadOnly = false): Promise<NotificationPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_NOTIFICATIONS_PAGE) {
      throw badInput('first', `first must be between 1 and ${MAX_NOTIFICATIONS_PAGE}`);
    }
    const cursor = after ? decodeCursor(after) : null;
    const mine = { userId: actor.id, ...(unreadOnly ? { readAt: null } : {}) };
    const [rows, totalCount, unreadCount] = await Promise.all([
      this.prisma.notification.findMany({
        where: {
          ...mine,
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      }),
      this.prisma.notification.count({ where: mine }),
      this.prisma.notification.count({ where: { userId: actor.id, readAt: null } }),
    ]);
    const page = rows.slice(0, first);
    const edges = page.map((node) => ({ cursor: encodeCursor(node), node }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null }, totalCount, unreadCount };
  }

  /**
   * Marks the caller's notifications read: the ids given (every one must be the caller's,
   * else NOT_FOUND and nothing changes), or all with `all`. Returns how many changed.
   */
  async markRead(actor: Actor, ids: string[] | null | undefined, all: boolean): Promise<number> {
    const now = this.deps.now();
    if (all) {
      const { count } = await this.prisma.notification.updateMany({ where: { userId: actor.id, readAt: null }, data: { readAt: now } });
      return count;
    }
    if (!ids) throw badInput('ids', 'Give the ids to mark read, or all: true');
    if (ids.length > MAX_IDS) throw badInput('ids', `At most ${MAX_IDS} ids at once`);
    const unique = [...new Set(ids)];
    if (unique.some((id) => !isUuid(id))) throw new AppError('NOT_FOUND', 'Notification not found', 'ids');
    return inTransaction(this.prisma, async (tx) => {
      const mine = await tx.notification.findMany({ where: { id: { in: unique }, userId: actor.id }, select: { id: true } });
      if (mine.length !== unique.length) throw new AppError('NOT_FOUND', 'Notification not found', 'ids');
      const { count } = await tx.notification.updateMany({ where: { id: { in: unique }, userId: actor.id, readAt: null }, data: { readAt: now } });
      return count;
    });
  }

  async preferences(actor: Actor): Promise<NotificationPreferencesView> {
    // Raw SQL: NULL leads (the studio's) must stay distinguishable from an empty list (no reminders).
    const [row] = await this.prisma.$queryRaw<NotificationPreferencesView[]>`
      SELECT COALESCE(p.email_confirmations, true) AS "emailConfirmations", COALESCE(p.email_reminders, true) AS "emailReminders",
             COALESCE(p.email_cancellations, true) AS "emailCancellations", COALESCE(p.email_billing, true) AS "emailBilling",
             ${memberLeadsSql('p')} AS "reminderLeadMinutes"
      FROM (SELECT ${actor.id}::uuid AS user_id) me
      LEFT JOIN notification_preferences p ON p.user_id = me.user_id`;
    return row;
  }

  /** Changes what is given; new leads apply to the person's upcoming sessions at once. */
  async updatePreferences(actor: Actor, input: NotificationPreferencesIn): Promise<NotificationPreferencesView> {
    const leads = input.reminderLeadMinutes == null ? null : validLeads(input.reminderLeadMinutes, 'input.reminderLeadMinutes');
    const now = this.deps.now();
    await inTransaction(this.prisma, async (tx) => {
      await tx.$executeRaw`
        INSERT INTO notification_preferences AS p (user_id, email_confirmations, email_reminders, email_cancellations, email_billing, reminder_lead_minutes, updated_at)
        VALUES (${actor.id}::uuid, COALESCE(${input.emailConfirmations ?? null}::boolean, true), COALESCE(${input.emailReminders ?? null}::boolean, true),
                COALESCE(${input.emailCancellations ?? null}::boolean, true), COALESCE(${input.emailBilling ?? null}::boolean, true), ${leads}::int[], ${now})
        ON CONFLICT (user_id) DO UPDATE SET
          email_confirmations = COALESCE(${input.emailConfirmations ?? null}::boolean, p.email_confirmations),
          email_reminders = COALESCE(${input.emailReminders ?? null}::boolean, p.email_reminders),
          email_cancellations = COALESCE(${input.emailCancellations ?? null}::boolean, p.email_cancellations),
          email_billing = COALESCE(${input.emailBilling ?? null}::boolean, p.email_billing),
          reminder_lead_minutes = COALESCE(${leads}::int[], p.reminder_lead_minutes),
          updated_at = ${now}`;
      if (leads) await replanMemberReminders(tx, actor.id, now);
    });
    return this.preferences(actor);
  }
}
