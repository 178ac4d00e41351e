import type { Config } from '../config';
import type { Tx } from '../db/transaction';
import { classChargeFor, feesToWaive, type ClassChargeDecision } from '../domain/class-charges';
import { formatMoney } from '../domain/money';
import type { Logger } from '../logger';
import { Ledger, studioPolicy, type ChargeRow } from './ledger';
import { chainTip } from './reversal-chain';

/**
 * The ledger's class lines, inside the transaction of the enrollment change (DESIGN.md
 * "Money for classes"): an attendance is a CLASS line (the price, or creditsPerClass pack
 * credits), a no-show or a member's late cancellation a fee; a late-cancel fee is waived by
 * a reversal once its place is filled again before the class starts. Append-only like the
 * session ledger: corrections and waivers are reversals, never edits; one line per
 * (enrollment, kind) (charges_enrollment_kind_key).
 */

interface EnrollmentFacts {
  id: string;
  memberId: string;
  priceCents: number | null;
  creditsPerClass: number;
  startTime: Date;
  className: string;
}

interface Line {
  memberId: string;
  kind: 'CLASS' | 'NO_SHOW_FEE' | 'LATE_CANCEL_FEE' | 'ADJUSTMENT';
  enrollmentId: string;
  creditPackId: string | null;
  amountCents: number;
  paidWithCredit: boolean;
  description: string;
  reversesId: string | null;
  creditDelta: number;
}

interface ChainLine {
  id: string;
  kind: string;
  reversesId: string | null;
  creditPackId: string | null;
  amountCents: number;
  paidWithCredit: boolean;
  creditDelta: number;
  description: string;
}

const LABEL: Record<ClassChargeDecision['kind'], string> = { CLASS: 'Class', NO_SHOW_FEE: 'Class no-show fee', LATE_CANCEL_FEE: 'Class late cancellation fee' };

const reversal = (line: ChainLine, memberId: string, enrollmentId: string, why: string): Line => ({
  memberId, kind: 'ADJUSTMENT', enrollmentId, creditPackId: line.creditPackId, amountCents: -line.amountCents, paidWithCredit: line.paidWithCredit,
  description: `${why}: ${line.description}`, reversesId: line.id, creditDelta: -line.creditDelta,
});

export class ClassLedger {
  constructor(private readonly deps: { config: Config; log: Logger }) {}

  /** BOOKED -> ATTENDED / NO_SHOW, or a member's LATE_CANCELLED: the line it writes. Returns the notifications created. */
  async charged(tx: Tx, enrollmentIds: readonly string[], to: 'ATTENDED' | 'NO_SHOW' | 'LATE_CANCELLED', opts: { actorId: string | null; now: Date }): Promise<string[]> {
    if (enrollmentIds.length === 0) return [];
    const policy = await studioPolicy(tx);
    const lines: Line[] = [];
    for (const e of await this.enrollments(tx, enrollmentIds)) {
      const decision = classChargeFor(to, e, policy);
      const line = decision && (await this.line(tx, e, decision, policy.currency, null));
      if (line) lines.push(line);
    }
    return this.write(tx, lines, policy.currency, opts);
  }

  /** ATTENDED <-> NO_SHOW: the old status' standing line is reversed, the new one written (or reinstated by reversing its reversal). */
  async corrected(tx: Tx, enrollmentId: string, from: 'ATTENDED' | 'NO_SHOW', to: 'ATTENDED' | 'NO_SHOW', opts: { actorId: string | null; now: Date }): Promise<string[]> {
    const policy = await studioPolicy(tx);
    const [e] = await this.enrollments(tx, [enrollmentId]);
    if (!e) return [];
    const chain = await this.chain(tx, enrollmentId);
    const kindOf = (status: 'ATTENDED' | 'NO_SHOW') => (status === 'ATTENDED' ? 'CLASS' : 'NO_SHOW_FEE');
    const lines: Line[] = [];
    const old = chainTip(chain, kindOf(from));
    // Credits given back by the reversal are available to the new line in this statement.
    const returned = old?.active && old.line.creditPackId ? { packId: old.line.creditPackId, credits: old.line.creditDelta } : null;
    if (old?.active) lines.push(reversal(old.line, e.memberId, e.id, `Reversed (attendance corrected to ${to === 'ATTENDED' ? 'attended' : 'no-show'})`));
    const current = chainTip(chain, kindOf(to));
    const decision = classChargeFor(to, e, policy);
    if (decision && !current?.active) {
      const line = await this.line(tx, e, decision, policy.currency, current?.line.id ?? null, returned);
      if (line && current) line.description = `Reinstated (attendance corrected): ${line.description}`;
      if (line) lines.push(line);
    }
    return this.write(tx, lines, policy.currency, opts);
  }

  /**
   * Late-cancel fees of this class whose places were filled again (the class has not
   * started): each standing fee beyond the places still empty is reversed, oldest first.
   */
  async waiveRefilled(tx: Tx, classId: string, opts: { now: Date }): Promise<string[]> {
    const [cls] = await tx.$queryRaw<{ free: number; started: boolean; scheduled: boolean }[]>`
      -- A place only offered is still empty: the fee stands until someone takes it.
      SELECT c.capacity - (SELECT count(*) FROM enrollments e WHERE e.class_session_id = c.id AND e.status IN ('BOOKED', 'ATTENDED', 'NO_SHOW'))::int AS free,
             c.start_time <= ${opts.now} AS started, c.status = 'SCHEDULED' AS scheduled
      FROM class_sessions c WHERE c.id = ${classId}::uuid`;
    if (!cls || cls.started || !cls.scheduled) return [];
    const fees = await tx.$queryRaw<(ChainLine & { memberId: string; enrollmentId: string })[]>`
      SELECT f.id::text, f.kind::text, f.reverses_id::text AS "reversesId", f.credit_pack_id::text AS "creditPackId", f.amount_cents AS "amountCents",
             f.paid_with_credit AS "paidWithCredit", f.credit_delta AS "creditDelta", f.description, f.member_id::text AS "memberId", f.enrollment_id::text AS "enrollmentId"
      FROM charges f JOIN enrollments e ON e.id = f.enrollment_id
      WHERE e.class_session_id = ${classId}::uuid AND f.kind = 'LATE_CANCEL_FEE' AND NOT EXISTS (SELECT 1 FROM charges r WHERE r.reverses_id = f.id)
      ORDER BY f.created_at, f.id`;
    const waived = fees.slice(0, feesToWaive(fees.length, cls.free));
    if (waived.length === 0) return [];
    const policy = await studioPolicy(tx);
    const lines = waived.map((f) => reversal(f, f.memberId, f.enrollmentId, 'Waived (the place was filled again)'));
    return this.write(tx, lines, policy.currency, { actorId: null, now: opts.now });
  }

  private enrollments(tx: Tx, ids: readonly string[]): Promise<EnrollmentFacts[]> {
    return tx.$queryRaw<EnrollmentFacts[]>`
      SELECT e.id::text, e.member_id::text AS "memberId", c.price_cents AS "priceCents", c.credits_per_class AS "creditsPerClass",
             c.start_time AS "startTime", t.name AS "className"
      FROM enrollments e JOIN class_sessions c ON c.id = e.class_session_id JOIN class_types t ON t.id = c.class_type_id
      WHERE e.id = ANY(${[...ids]}::uuid[]) ORDER BY c.start_time, e.id`;
  }

  private chain(tx: Tx, enrollmentId: string): Promise<ChainLine[]> {
    return tx.$queryRaw<ChainLine[]>`
      SELECT id::text, kind::text, reverses_id::text AS "reversesId", credit_pack_id::text AS "creditPackId", amount_cents AS "amountCents",
             paid_with_credit AS "paidWithCredit", credit_delta AS "creditDelta", description
      FROM charges WHERE enrollment_id = ${enrollmentId}::uuid ORDER BY created_at, id`;
  }

  /**
   * The line of a decision: paid with credits from the member's pack that has enough (not
   * expired at the class's start, expiring first), locked until commit; else in money;
   * none when neither applies (a credits-only class and no credits left).
   */
  private async line(tx: Tx, e: EnrollmentFacts, d: ClassChargeDecision, currency: string, reversesId: string | null, returned: { packId: string; credits: number } | null = null): Promise<Line | null> {
    let pack: { id: string } | undefined;
    if (d.credits > 0) {
      const packs = await tx.$queryRaw<{ id: string; remaining: number }[]>`
        SELECT id::text, remaining FROM credit_packs
        WHERE member_id = ${e.memberId}::uuid AND (expires_at IS NULL OR expires_at > ${e.startTime})
        ORDER BY expires_at NULLS LAST, purchased_at, id FOR UPDATE`;
      pack = packs.find((p) => p.remaining + (p.id === returned?.packId ? returned.credits : 0) >= d.credits);
    }
    if (!pack && d.amountCents <= 0) return null;
    const price = e.priceCents !== null && d.kind !== 'CLASS' ? ` (price ${formatMoney(e.priceCents, currency)})` : '';
    const paid = pack ? `, paid with ${d.credits} pack credit${d.credits === 1 ? '' : 's'}` : '';
    return {
      memberId: e.memberId, kind: reversesId ? 'ADJUSTMENT' : d.kind, enrollmentId: e.id, creditPackId: pack?.id ?? null,
      amountCents: pack ? 0 : d.amountCents, paidWithCredit: pack !== undefined,
      description: `${LABEL[d.kind]}: ${e.className}${price}${paid}`, reversesId, creditDelta: pack ? d.credits : 0,
    };
  }

  /** One statement for the lines and the credits they take or give back; a line meeting the unique index is skipped. Then CHARGE_CREATED. */
  private async write(tx: Tx, lines: Line[], currency: string, opts: { actorId: string | null; now: Date }): Promise<string[]> {
    if (lines.length === 0) return [];
    const inserted = await tx.$queryRaw<ChargeRow[]>`
      WITH l AS (
        SELECT * FROM unnest(
          ${lines.map((l) => l.memberId)}::uuid[], ${lines.map((l) => l.kind)}::text[], ${lines.map((l) => l.enrollmentId)}::uuid[],
          ${lines.map((l) => l.creditPackId)}::uuid[], ${lines.map((l) => l.amountCents)}::int[], ${lines.map((l) => l.paidWithCredit)}::boolean[],
          ${lines.map((l) => l.description)}::text[], ${lines.map((l) => l.reversesId)}::uuid[], ${lines.map((l) => l.creditDelta)}::int[]
        ) AS l(member_id, kind, enrollment_id, credit_pack_id, amount_cents, paid_with_credit, description, reverses_id, credit_delta)
      ), ins AS (
        INSERT INTO charges (member_id, kind, enrollment_id, credit_pack_id, amount_cents, currency, paid_with_credit, description, created_at, created_by, reverses_id, credit_delta)
        SELECT member_id, kind::"ChargeKind", enrollment_id, credit_pack_id, amount_cents, ${currency}, paid_with_credit, description, ${opts.now}, ${opts.actorId}::uuid, reverses_id, credit_delta
        FROM l
        ON CONFLICT DO NOTHING
        RETURNING id, member_id, kind, credit_pack_id, amount_cents, currency, paid_with_credit, description, credit_delta
      ), credits AS (
        UPDATE credit_packs p SET remaining = p.remaining - t.delta
        FROM (SELECT credit_pack_id, sum(credit_delta)::int AS delta FROM ins WHERE credit_pack_id IS NOT NULL AND credit_delta <> 0 GROUP BY 1) t
        WHERE p.id = t.credit_pack_id
        RETURNING 1
      )
      SELECT ins.id::text, ins.member_id::text AS "memberId", ins.kind::text AS kind, NULL::text AS "sessionId",
             ins.amount_cents AS "amountCents", ins.currency, ins.paid_with_credit AS "paidWithCredit", ins.description
      FROM ins LEFT JOIN (SELECT count(*) FROM credits) c ON true`;
    return new Ledger(this.deps).notify(tx, inserted, opts.now);
  }
}
