import type { Actor } from '../auth/actor';
import { inTransaction } from '../db/transaction';
import { isUuid } from '../domain/ids';
import { isCurrencyCode, MAX_AMOUNT_CENTS } from '../domain/money';
import { parseLocalDate } from '../domain/civil-date';
import { badInput, conflict, notFound } from '../errors';
import { moveReminders } from '../notifications/reminders';
import { Ledger, type ChargeRow } from '../billing/ledger';
import type { ServiceDeps } from './context';
import { assertAmount } from './money-input';
import { validLeads } from './notification.service';
import { UserService } from './user.service';
import { DEFAULT_WAITLIST_COLUMNS, waitlistColumns, type WaitlistPolicyIn } from './waitlist-settings';

export const MAX_WINDOW_MINUTES = 10_080;
export const MAX_PACK_CREDITS = 1_000;
export const MAX_STATEMENT_DAYS = 366;
export const MAX_STUDIO_NAME = 100;

export interface StudioSettingsView {
  name: string;
  currency: string;
  lateCancelWindowMinutes: number;
  lateCancelFeePercent: number;
  noShowFeePercent: number;
  reminderLeadMinutes: number[];
  /** The waitlist columns (WaitlistSettingsRow); StudioSettings.waitlist shows them. */
  autoPromoteCutoffMinutes: number | null;
  offerMinutes: number;
  quietHoursStartMinute: number | null;
  quietHoursEndMinute: number | null;
}

type PlainSettings = Omit<StudioSettingsView, keyof typeof DEFAULT_WAITLIST_COLUMNS>;
export type StudioSettingsIn = { [K in keyof PlainSettings]?: PlainSettings[K] | null } & { waitlist?: WaitlistPolicyIn | null };

export interface ChargeView {
  id: string;
  memberId: string;
  kind: string;
  sessionId: string | null;
  enrollmentId: string | null;
  creditPackId: string | null;
  amountCents: number;
  currency: string;
  paidWithCredit: boolean;
  description: string;
  createdAt: Date;
  createdBy: string | null;
  creditDelta: number;
}

export interface CreditPackView {
  id: string;
  memberId: string;
  credits: number;
  remaining: number;
  priceCents: number;
  purchasedAt: Date;
  expiresAt: Date | null;
}

export interface StatementView {
  memberId: string;
  from: string;
  to: string;
  currency: string;
  charges: ChargeView[];
  totalCents: number;
  creditsUsed: number;
}

export interface RevenueLineView {
  coachId: string;
  sessions: number;
  sessionCents: number;
  /** Class attendances charged (net of corrections), and their money (credits-paid ones count 0). */
  classes: number;
  classCents: number;
  feeCents: number;
  totalCents: number;
}

/** The columns of a Charge, as ChargeView. */
export const CHARGE_COLUMNS = `c.id::text, c.member_id::text AS "memberId", c.kind::text AS kind, c.session_id::text AS "sessionId",
  c.enrollment_id::text AS "enrollmentId", c.credit_pack_id::text AS "creditPackId", c.amount_cents AS "amountCents", c.currency, c.paid_with_credit AS "paidWithCredit",
  c.description, c.created_at AS "createdAt", c.created_by::text AS "createdBy", c.credit_delta AS "creditDelta"`;

/** Whole days from a to b (YYYY-MM-DD), b - a. */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A from..to range of local dates: both valid, to not before from, at most 366 days. */
export function validRange(from: string, to: string): { from: string; to: string } {
  if (!parseLocalDate(from)) throw badInput('from', 'from must be a date YYYY-MM-DD');
  if (!parseLocalDate(to)) throw badInput('to', 'to must be a date YYYY-MM-DD');
  const days = daysBetween(from, to);
  if (days < 0) throw badInput('to', 'to must not be before from');
  if (days + 1 > MAX_STATEMENT_DAYS) throw badInput('to', `A range covers at most ${MAX_STATEMENT_DAYS} days`);
  return { from, to };
}

/**
 * Studio policies, credit packs, adjustments, statements and revenue (DESIGN.md "Prices and
 * charges"). Status-change charges are written by billing/ledger.ts in the status change's
 * transaction; this service holds the owner's writes and the reads.
 */
export class BillingService {
  private readonly users: UserService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  async settings(): Promise<StudioSettingsView> {
    const row = await this.prisma.studioSettings.findUnique({ where: { id: 1 } });
    return row ?? {
      name: this.deps.config.studioName, currency: this.deps.config.studioCurrency, lateCancelWindowMinutes: 1440, lateCancelFeePercent: 100,
      noShowFeePercent: 100, reminderLeadMinutes: [1440], ...DEFAULT_WAITLIST_COLUMNS,
    };
  }

  /** Owners: changes what is given; a new policy applies to status changes from now on (charges already written stay). */
  async updateSettings(input: StudioSettingsIn): Promise<StudioSettingsView> {
    const data: Partial<StudioSettingsView> = {};
    if (input.name != null) {
      const name = input.name.trim();
      if (name.length === 0 || name.length > MAX_STUDIO_NAME) throw badInput('input.name', `The name must be 1 to ${MAX_STUDIO_NAME} characters`);
      data.name = name;
    }
    if (input.currency != null) {
      if (!isCurrencyCode(input.currency)) throw badInput('input.currency', 'Not an ISO 4217 currency code (such as EUR, USD, JPY)');
      data.currency = input.currency;
    }
    if (input.lateCancelWindowMinutes != null) {
      const w = input.lateCancelWindowMinutes;
      if (!Number.isInteger(w) || w < 0 || w > MAX_WINDOW_MINUTES) throw badInput('input.lateCancelWindowMinutes', `The window must be between 0 and ${MAX_WINDOW_MINUTES} minutes`);
      data.lateCancelWindowMinutes = w;
    }
    for (const field of ['lateCancelFeePercent', 'noShowFeePercent'] as const) {
      const p = input[field];
      if (p == null) continue;
      if (!Number.isInteger(p) || p < 0 || p > 100) throw badInput(`input.${field}`, 'A percent is between 0 and 100');
      data[field] = p;
    }
    if (input.reminderLeadMinutes != null) data.reminderLeadMinutes = validLeads(input.reminderLeadMinutes, 'input.reminderLeadMinutes');
    const now = this.deps.now();
    await inTransaction(this.prisma, async (tx) => {
      const [current] = await tx.$queryRaw<{ currency: string }[]>`SELECT currency FROM studio_settings WHERE id = 1 FOR UPDATE`;
      if (input.waitlist) {
        const row = await tx.studioSettings.findUnique({ where: { id: 1 } });
        Object.assign(data, waitlistColumns(input.waitlist, row ?? DEFAULT_WAITLIST_COLUMNS));
      }
      // A ledger in two currencies would add euros to yen: the currency is fixed once money was charged.
      if (data.currency && current && data.currency !== current.currency) {
        const [used] = await tx.$queryRaw<{ any: boolean }[]>`SELECT EXISTS (SELECT 1 FROM charges) AS any`;
        if (used.any) throw conflict('The currency cannot change once charges exist');
      }
      await tx.studioSettings.upsert({
        where: { id: 1 },
        create: { id: 1, name: this.deps.config.studioName, currency: this.deps.config.studioCurrency, ...data, updatedAt: now },
        update: { ...data, updatedAt: now },
      });
      // New studio leads apply at once to the upcoming sessions of members who have not chosen their own.
      if (data.reminderLeadMinutes) {
        const sessions = await tx.$queryRaw<{ id: string }[]>`
          SELECT s.id::text FROM training_sessions s LEFT JOIN notification_preferences p ON p.user_id = s.member_id
          WHERE s.status = 'SCHEDULED' AND s.start_time > ${now} AND p.reminder_lead_minutes IS NULL`;
        await moveReminders(tx, sessions.map((s) => s.id), now);
      }
    });
    return this.settings();
  }

  /** Owners: a pack sold to a member, and its PACK_PURCHASE line, in one transaction. */
  async grantCreditPack(actor: Actor, input: { memberId: string; credits: number; priceCents: number; expiresAt?: Date | null }): Promise<CreditPackView> {
    const now = this.deps.now();
    if (!isUuid(input.memberId)) throw notFound('Member', 'input.memberId');
    await this.users.requireRole(input.memberId, 'MEMBER', 'input.memberId');
    if (!Number.isInteger(input.credits) || input.credits < 1 || input.credits > MAX_PACK_CREDITS) {
      throw badInput('input.credits', `A pack has 1 to ${MAX_PACK_CREDITS} credits`);
    }
    assertAmount(input.priceCents, 'input.priceCents');
    if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw badInput('input.expiresAt', 'The expiry must be in the future');
    const { pack, notified } = await inTransaction(this.prisma, async (tx) => {
      const { currency } = await tx.studioSettings.findUniqueOrThrow({ where: { id: 1 }, select: { currency: true } });
      const pack = await tx.creditPack.create({
        data: { memberId: input.memberId, credits: input.credits, remaining: input.credits, priceCents: input.priceCents, purchasedAt: now, expiresAt: input.expiresAt ?? null, createdBy: actor.id },
      });
      const charge = await tx.charge.create({
        data: {
          memberId: input.memberId, kind: 'PACK_PURCHASE', creditPackId: pack.id, amountCents: input.priceCents, currency,
          description: `Pack of ${input.credits} credit${input.credits === 1 ? '' : 's'}`, createdAt: now, createdBy: actor.id,
        },
      });
      const notified = await new Ledger(this.deps).notify(tx, [{ ...charge, sessionId: null } as ChargeRow], now);
      return { pack, notified };
    });
    this.deps.events.notificationsCreated(notified);
    return pack;
  }

  /** Members: their own packs (memberId left out or their own; another member's: an empty list). Owners: a member's. */
  async creditPacks(actor: Actor, memberId?: string | null): Promise<CreditPackView[]> {
    const target = this.memberFor(actor, memberId);
    if (!target) return [];
    return this.prisma.creditPack.findMany({ where: { memberId: target }, orderBy: [{ purchasedAt: 'asc' }, { id: 'asc' }] });
  }

  /** Owners: a correction or waiver on a member's ledger (never an edit of a line). */
  async addAdjustment(actor: Actor, input: { memberId: string; amountCents: number; description: string; sessionId?: string | null }): Promise<ChargeView> {
    const now = this.deps.now();
    if (!isUuid(input.memberId)) throw notFound('Member', 'input.memberId');
    await this.users.requireRole(input.memberId, 'MEMBER', 'input.memberId');
    const amount = input.amountCents;
    if (!Number.isSafeInteger(amount) || amount === 0 || Math.abs(amount) > MAX_AMOUNT_CENTS) {
      throw badInput('input.amountCents', `An adjustment is a non-zero amount of at most ${MAX_AMOUNT_CENTS} cents either way`);
    }
    const description = input.description.trim();
    if (description.length === 0) throw badInput('input.description', 'Say what the adjustment is for');
    if (description.length > 500) throw badInput('input.description', 'The description may be at most 500 characters');
    if (input.sessionId != null) {
      const session = isUuid(input.sessionId) ? await this.prisma.trainingSession.findUnique({ where: { id: input.sessionId }, select: { memberId: true } }) : null;
      if (!session) throw notFound('Session', 'input.sessionId');
      if (session.memberId !== input.memberId) throw badInput('input.sessionId', "The session is not this member's");
    }
    const { charge, notified } = await inTransaction(this.prisma, async (tx) => {
      const { currency } = await tx.studioSettings.findUniqueOrThrow({ where: { id: 1 }, select: { currency: true } });
      const charge = await tx.charge.create({
        data: { memberId: input.memberId, kind: 'ADJUSTMENT', sessionId: input.sessionId ?? null, amountCents: amount, currency, description, createdAt: now, createdBy: actor.id },
      });
      const notified = await new Ledger(this.deps).notify(tx, [charge as ChargeRow], now);
      return { charge, notified };
    });
    this.deps.events.notificationsCreated(notified);
    return charge;
  }

  /** Charges by createdAt in the studio's timezone, from..to inclusive: one statement. */
  async statement(actor: Actor, memberId: string | null | undefined, fromText: string, toText: string): Promise<StatementView> {
    const { from, to } = validRange(fromText, toText);
    const target = this.memberFor(actor, memberId);
    if (!target) throw notFound('Member', 'memberId');
    if (actor.role === 'OWNER') await this.users.requireRole(target, 'MEMBER', 'memberId');
    const charges = await this.chargesBetween(from, to, target);
    const settings = await this.settings();
    return {
      memberId: target,
      from,
      to,
      currency: settings.currency,
      charges,
      totalCents: charges.reduce((sum, c) => sum + c.amountCents, 0),
      creditsUsed: charges.reduce((sum, c) => sum + c.creditDelta, 0),
    };
  }

  /** The lines of one member (or all, for the export) created in from..to, oldest first. */
  chargesBetween(from: string, to: string, memberId: string): Promise<ChargeView[]> {
    const zone = this.deps.config.studioTimezone;
    return this.prisma.$queryRawUnsafe<ChargeView[]>(
      `SELECT ${CHARGE_COLUMNS} FROM charges c
       WHERE c.member_id = $1::uuid
         AND c.created_at >= ($2::date::timestamp AT TIME ZONE $4) AND c.created_at < (($3::date + 1)::timestamp AT TIME ZONE $4)
       ORDER BY c.created_at, c.id`,
      memberId, from, to, zone,
    );
  }

  /**
   * Owners: per coach, the sessions completed and classes attended (net of corrections) and the fees charged in
   * from..to (lines by createdAt, the studio's timezone). Reversals count against the kind of
   * the line they undo; manual adjustments on a coach's session count in its total only.
   */
  async revenue(fromText: string, toText: string): Promise<RevenueLineView[]> {
    const { from, to } = validRange(fromText, toText);
    const zone = this.deps.config.studioTimezone;
    return this.prisma.$queryRawUnsafe<RevenueLineView[]>(
      `WITH RECURSIVE lines AS (
         SELECT c.id, c.kind, c.reverses_id, c.amount_cents, COALESCE(s.coach_id, k.coach_id) AS coach_id
         FROM charges c LEFT JOIN training_sessions s ON s.id = c.session_id
         LEFT JOIN enrollments e ON e.id = c.enrollment_id LEFT JOIN class_sessions k ON k.id = e.class_session_id
         WHERE (s.id IS NOT NULL OR k.id IS NOT NULL) AND c.created_at >= ($1::date::timestamp AT TIME ZONE $3) AND c.created_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
       ), roots AS (
         SELECT l.id AS line_id, l.id AS at_id, l.kind, l.reverses_id, 1 AS sign FROM lines l
         UNION ALL
         SELECT r.line_id, c.id, c.kind, c.reverses_id, -r.sign FROM roots r JOIN charges c ON c.id = r.reverses_id
       ), rooted AS (
         -- sign: +1 for an original (or a reinstatement), -1 for a reversal of it.
         SELECT line_id, kind AS root_kind, sign FROM roots WHERE reverses_id IS NULL
       )
       SELECT l.coach_id::text AS "coachId",
              COALESCE(sum(r.sign) FILTER (WHERE r.root_kind = 'SESSION'), 0)::int AS sessions,
              COALESCE(sum(l.amount_cents) FILTER (WHERE r.root_kind = 'SESSION'), 0)::int AS "sessionCents",
              COALESCE(sum(r.sign) FILTER (WHERE r.root_kind = 'CLASS'), 0)::int AS classes,
              COALESCE(sum(l.amount_cents) FILTER (WHERE r.root_kind = 'CLASS'), 0)::int AS "classCents",
              COALESCE(sum(l.amount_cents) FILTER (WHERE r.root_kind IN ('NO_SHOW_FEE', 'LATE_CANCEL_FEE')), 0)::int AS "feeCents",
              COALESCE(sum(l.amount_cents), 0)::int AS "totalCents"
       FROM lines l JOIN rooted r ON r.line_id = l.id
       GROUP BY l.coach_id
       ORDER BY "totalCents" DESC, l.coach_id`,
      from, to, zone,
    );
  }

  /** Members address themselves (another member: null, which callers answer as NOT_FOUND or empty); owners name anyone. */
  private memberFor(actor: Actor, memberId: string | null | undefined): string | null {
    if (actor.role === 'MEMBER') return memberId == null || memberId === actor.id ? actor.id : null;
    if (!memberId) throw badInput('memberId', 'memberId is required');
    if (!isUuid(memberId)) throw notFound('Member', 'memberId');
    return memberId;
  }
}
