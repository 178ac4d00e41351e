import type { Config } from '../config';
import type { Tx } from '../db/transaction';
import { chargeForStatusChange, packToUse, type ChargeDecision, type ChargePolicy } from '../domain/charges';
import type { SessionStatus } from '../domain/lifecycle';
import { formatMoney } from '../domain/money';
import type { Logger } from '../logger';
import type { Draft } from '../notifications/drafts';
import { Notifier } from '../notifications/notifier';
import { loadRecipients } from '../notifications/recipients';
import * as messages from '../notifications/templates/messages';
import { enqueue } from '../outbox/outbox';
import { chainTip } from './reversal-chain';

/**
 * The charge ledger's writes inside the transaction of a status change (DESIGN.md
 * "Prices and charges"). Set-based: whatever the number of sessions, one read of the
 * sessions and the policy, one locked read of the members' packs, one INSERT of the
 * lines that also takes the credits, one write of the notifications. The unique index
 * (session, kind) makes a second line for the same cause impossible; a line that meets
 * it is skipped (ON CONFLICT DO NOTHING) and takes no credit.
 */

/** More CHARGE_CREATED than this in one transaction are written after commit (CHARGE_NOTICES). */
export const INLINE_CHARGE_NOTICES_MAX = 100;

/** The payload of a CHARGE_NOTICES outbox row. */
export interface ChargeNotices {
  chargeIds: string[];
}

export interface StudioPolicy extends ChargePolicy {
  currency: string;
}

interface SessionFacts {
  id: string;
  memberId: string;
  priceCents: number | null;
  startTime: Date;
}

interface PackRow {
  id: string;
  memberId: string;
  remaining: number;
  purchasedAt: Date;
  expiresAt: Date | null;
}

/** One line to insert. */
interface Line {
  memberId: string;
  kind: 'SESSION' | 'LATE_CANCEL_FEE' | 'NO_SHOW_FEE' | 'ADJUSTMENT';
  sessionId: string;
  creditPackId: string | null;
  amountCents: number;
  paidWithCredit: boolean;
  description: string;
  reversesId: string | null;
  /** +1 takes a credit of creditPackId, -1 gives one back, 0 none. */
  creditDelta: number;
}

export interface ChargeRow {
  id: string;
  memberId: string;
  kind: string;
  sessionId: string | null;
  amountCents: number;
  currency: string;
  paidWithCredit: boolean;
  description: string;
}

const KIND_LABEL: Record<ChargeDecision['kind'], string> = {
  SESSION: 'Session',
  NO_SHOW_FEE: 'No-show fee',
  LATE_CANCEL_FEE: 'Late cancellation fee',
};

function byMember(packs: PackRow[]): Map<string, PackRow[]> {
  const map = new Map<string, PackRow[]>();
  for (const pack of packs) map.set(pack.memberId, [...(map.get(pack.memberId) ?? []), pack]);
  return map;
}

export async function studioPolicy(tx: Tx): Promise<StudioPolicy> {
  const [row] = await tx.$queryRaw<StudioPolicy[]>`
    SELECT late_cancel_window_minutes AS "lateCancelWindowMinutes", late_cancel_fee_percent AS "lateCancelFeePercent",
           no_show_fee_percent AS "noShowFeePercent", currency
    FROM studio_settings WHERE id = 1`;
  // The server inserts the row at start; a database without it uses the column defaults.
  return row ?? { lateCancelWindowMinutes: 1440, lateCancelFeePercent: 100, noShowFeePercent: 100, currency: 'EUR' };
}

export class Ledger {
  constructor(private readonly deps: { config: Config; log: Logger }) {}

  /**
   * The charges of sessions that just changed to `to` (their ids as changeStatus returned
   * them). Cancellations charge only when `memberCancellation` (a member cancelling their
   * own sessions: one, or a series'); staff cancellations, blocks, pauses and series changes
   * pass false. Returns the notifications created, to publish after commit.
   */
  async statusChanged(
    tx: Tx,
    sessionIds: string[],
    to: Exclude<SessionStatus, 'SCHEDULED'>,
    opts: { actorId: string | null; now: Date; memberCancellation?: boolean },
  ): Promise<string[]> {
    if (sessionIds.length === 0) return [];
    if (to === 'CANCELLED' && !opts.memberCancellation) return [];
    const policy = await studioPolicy(tx);
    const sessions = await this.sessions(tx, sessionIds);
    const decided = sessions
      .map((s) => ({ s, d: chargeForStatusChange({ to, priceCents: s.priceCents, startTime: s.startTime, at: opts.now, byMember: opts.memberCancellation === true }, policy) }))
      .filter((x): x is { s: SessionFacts; d: ChargeDecision } => x.d !== null);
    if (decided.length === 0) return [];
    const packs = byMember(await this.lockPacks(tx, [...new Set(decided.map((x) => x.s.memberId))]));
    const lines = decided.map(({ s, d }) => this.line(s, d, packs.get(s.memberId) ?? [], policy.currency, null));
    const inserted = await this.insert(tx, lines, policy.currency, opts.actorId, opts.now);
    return this.notify(tx, inserted, opts.now);
  }

  /**
   * An attendance correction (COMPLETED <-> NO_SHOW) of one session: the line of the old
   * status is undone by a reversal (an ADJUSTMENT with reversesId, giving its credit
   * back), the new status' line is written (or, when an earlier correction undid it,
   * reinstated by reversing that reversal). Never an edit.
   */
  async attendanceCorrected(tx: Tx, sessionId: string, from: 'COMPLETED' | 'NO_SHOW', to: 'COMPLETED' | 'NO_SHOW', opts: { actorId: string | null; now: Date }): Promise<string[]> {
    const policy = await studioPolicy(tx);
    const [session] = await this.sessions(tx, [sessionId]);
    if (!session) return [];
    const chain = await tx.$queryRaw<{ id: string; kind: string; reversesId: string | null; creditPackId: string | null; amountCents: number; paidWithCredit: boolean; description: string }[]>`
      SELECT id::text, kind::text, reverses_id::text AS "reversesId", credit_pack_id::text AS "creditPackId",
             amount_cents AS "amountCents", paid_with_credit AS "paidWithCredit", description
      FROM charges WHERE session_id = ${sessionId}::uuid ORDER BY created_at, id`;
    const tip = (kind: string) => chainTip(chain, kind);
    const kindOf = (status: 'COMPLETED' | 'NO_SHOW') => (status === 'COMPLETED' ? 'SESSION' : 'NO_SHOW_FEE');
    const lines: Line[] = [];
    const old = tip(kindOf(from));
    if (old?.active) {
      lines.push({
        memberId: session.memberId,
        kind: 'ADJUSTMENT',
        sessionId,
        creditPackId: old.line.creditPackId,
        amountCents: -old.line.amountCents,
        paidWithCredit: old.line.paidWithCredit,
        description: `Reversed (attendance corrected to ${to === 'COMPLETED' ? 'completed' : 'no-show'}): ${old.line.description}`,
        reversesId: old.line.id,
        creditDelta: old.line.paidWithCredit && old.line.creditPackId ? -1 : 0,
      });
    }
    const decision = chargeForStatusChange({ to, priceCents: session.priceCents, startTime: session.startTime, at: opts.now, byMember: false }, policy);
    const current = tip(kindOf(to));
    if (decision && !current?.active) {
      // A credit given back just above counts as available again, even if it was the pack's last.
      const returned = old?.active && old.line.paidWithCredit ? old.line.creditPackId : null;
      const packs = await this.lockPacks(tx, [session.memberId], returned);
      const pack = packs.find((p) => p.id === returned);
      if (pack) pack.remaining += 1;
      const line = this.line(session, decision, packs, policy.currency, current ? current.line.id : null);
      if (current) line.description = `Reinstated (attendance corrected): ${line.description}`;
      lines.push(line);
    }
    if (lines.length === 0) return [];
    const inserted = await this.insert(tx, lines, policy.currency, opts.actorId, opts.now);
    return this.notify(tx, inserted, opts.now);
  }

  private sessions(tx: Tx, ids: string[]): Promise<SessionFacts[]> {
    return tx.$queryRaw<SessionFacts[]>`
      SELECT id::text, member_id::text AS "memberId", price_cents AS "priceCents", start_time AS "startTime"
      FROM training_sessions WHERE id = ANY(${ids}::uuid[]) ORDER BY start_time, id`;
  }

  /**
   * The members' packs with credits left (and `alsoId`, a pack about to get a credit back),
   * locked (in id order) until commit: two charges never take the last credit twice.
   */
  private lockPacks(tx: Tx, memberIds: string[], alsoId: string | null = null): Promise<PackRow[]> {
    return tx.$queryRaw<PackRow[]>`
      SELECT id::text, member_id::text AS "memberId", remaining, purchased_at AS "purchasedAt", expires_at AS "expiresAt"
      FROM credit_packs WHERE member_id = ANY(${memberIds}::uuid[]) AND (remaining > 0 OR id = ${alsoId}::uuid)
      ORDER BY id FOR UPDATE`;
  }

  /** The line a decision writes: paid with a credit when one of the member's packs can (its remaining is decremented in memory). */
  private line(s: SessionFacts, d: ChargeDecision, packs: PackRow[], currency: string, reversesId: string | null): Line {
    const pack = packToUse(packs, s.startTime);
    if (pack) pack.remaining -= 1;
    return {
      memberId: s.memberId,
      kind: reversesId ? 'ADJUSTMENT' : d.kind,
      sessionId: s.id,
      creditPackId: pack?.id ?? null,
      amountCents: pack ? 0 : d.amountCents,
      paidWithCredit: pack !== null,
      description: `${KIND_LABEL[d.kind]}${s.priceCents !== null && d.kind !== 'SESSION' ? ` (price ${formatMoney(s.priceCents, currency)})` : ''}${pack ? ', paid with a pack credit' : ''}`,
      reversesId,
      creditDelta: pack ? 1 : 0,
    };
  }

  /**
   * One statement: the lines (a line meeting the (session, kind) index is skipped) and,
   * for the lines written, the credits they take or give back.
   */
  private async insert(tx: Tx, lines: Line[], currency: string, actorId: string | null, now: Date): Promise<ChargeRow[]> {
    return tx.$queryRaw<ChargeRow[]>`
      WITH l AS (
        SELECT * FROM unnest(
          ${lines.map((l) => l.memberId)}::uuid[], ${lines.map((l) => l.kind)}::text[], ${lines.map((l) => l.sessionId)}::uuid[],
          ${lines.map((l) => l.creditPackId)}::uuid[], ${lines.map((l) => l.amountCents)}::int[], ${lines.map((l) => l.paidWithCredit)}::boolean[],
          ${lines.map((l) => l.description)}::text[], ${lines.map((l) => l.reversesId)}::uuid[], ${lines.map((l) => l.creditDelta)}::int[]
        ) AS l(member_id, kind, session_id, credit_pack_id, amount_cents, paid_with_credit, description, reverses_id, credit_delta)
      ), ins AS (
        INSERT INTO charges (member_id, kind, session_id, credit_pack_id, amount_cents, currency, paid_with_credit, description, created_at, created_by, reverses_id, credit_delta)
        SELECT member_id, kind::"ChargeKind", session_id, credit_pack_id, amount_cents, ${currency}, paid_with_credit, description, ${now}, ${actorId}::uuid, reverses_id, credit_delta
        FROM l
        ON CONFLICT DO NOTHING
        RETURNING id, member_id, kind, session_id, credit_pack_id, reverses_id, amount_cents, currency, paid_with_credit, description, credit_delta
      ), credits AS (
        UPDATE credit_packs p SET remaining = p.remaining - t.delta
        FROM (
          SELECT credit_pack_id, sum(credit_delta)::int AS delta FROM ins
          WHERE credit_pack_id IS NOT NULL AND credit_delta <> 0
          GROUP BY 1
        ) t
        WHERE p.id = t.credit_pack_id
        RETURNING 1
      )
      SELECT ins.id::text, ins.member_id::text AS "memberId", ins.kind::text AS kind, ins.session_id::text AS "sessionId",
             ins.amount_cents AS "amountCents", ins.currency, ins.paid_with_credit AS "paidWithCredit", ins.description
      FROM ins LEFT JOIN (SELECT count(*) FROM credits) c ON true`;
  }

  /**
   * CHARGE_CREATED to the member of each new line (in-app; email per their emailBilling
   * preference). More than INLINE_CHARGE_NOTICES_MAX lines (the nightly sweep's) leave it to
   * one CHARGE_NOTICES outbox row in this transaction: the charges commit without 10,000
   * notifications and emails in the same transaction, and the outbox writes them right after
   * commit, exactly once (their keys), also after a crash.
   */
  async notify(tx: Tx, charges: ChargeRow[], now: Date): Promise<string[]> {
    if (charges.length <= INLINE_CHARGE_NOTICES_MAX) return this.notifyNow(tx, charges, now);
    await enqueue(tx, { channel: 'CHARGE_NOTICES', payload: { chargeIds: charges.map((c) => c.id) } satisfies ChargeNotices, dedupeKey: `charge-notices:${charges[0].id}` });
    return [];
  }

  /** The CHARGE_CREATED notifications of these charges, now (a second call for the same charge writes nothing). */
  async notifyNow(tx: Tx, charges: ChargeRow[], now: Date): Promise<string[]> {
    if (charges.length === 0) return [];
    const notifier = new Notifier(this.deps);
    const people = await loadRecipients(tx, [...new Set(charges.map((c) => c.memberId))], this.deps.config.studioTimezone);
    const drafts: Draft[] = [];
    for (const c of charges) {
      const recipient = people.get(c.memberId);
      if (!recipient) continue;
      drafts.push({
        recipient,
        kind: 'CHARGE_CREATED',
        key: `charge-created:${c.id}`,
        sessionId: c.sessionId,
        content: messages.chargeCreated({ description: c.description, amount: formatMoney(c.amountCents, c.currency), paidWithCredit: c.paidWithCredit, sessionId: c.sessionId, links: notifier.links }),
      });
    }
    return notifier.write(tx, drafts, now);
  }

  /** Charges by id, as notify() takes them. */
  static load(tx: Tx, ids: string[]): Promise<ChargeRow[]> {
    return tx.$queryRaw<ChargeRow[]>`
      SELECT id::text, member_id::text AS "memberId", kind::text AS kind, session_id::text AS "sessionId",
             amount_cents AS "amountCents", currency, paid_with_credit AS "paidWithCredit", description
      FROM charges WHERE id = ANY(${ids}::uuid[]) ORDER BY created_at, id`;
  }
}
