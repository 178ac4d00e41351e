import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { ChargeView, CreditPackView, RevenueLineView, StatementView } from '../../services/billing.service';
import { actorOf, type Context } from '../context';
import { AdjustmentInput, GrantCreditPackInput, StudioSettingsInput } from '../inputs/billing.input';
import { loadOrFail } from '../loaders';
import { LocalDate } from '../scalars';
import { Charge, CreditPack, MemberStatement, RevenueLine, StudioSettings } from '../types/billing.type';
import { Enrollment } from '../types/class-session.type';
import { TrainingSession } from '../types/session.type';
import { User } from '../types/user.type';

@Resolver()
export class BillingResolver {
  @Authorized(rolesFor('Query.studioSettings'))
  @Query(() => StudioSettings)
  studioSettings(@Ctx() ctx: Context) {
    return ctx.services.billing.settings();
  }

  @Authorized(rolesFor('Mutation.updateStudioSettings'))
  @Mutation(() => StudioSettings, { description: 'Owners only.' })
  updateStudioSettings(@Ctx() ctx: Context, @Arg('input') input: StudioSettingsInput) {
    return ctx.services.billing.updateSettings(input);
  }

  @Authorized(rolesFor('Query.memberStatement'))
  @Query(() => MemberStatement, { description: "from..to inclusive, in the studio's timezone. Members: their own (memberId left out); owners: anyone's." })
  memberStatement(
    @Ctx() ctx: Context,
    @Arg('from', () => LocalDate) from: string,
    @Arg('to', () => LocalDate) to: string,
    @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null,
  ) {
    return ctx.services.billing.statement(actorOf(ctx), memberId, from, to);
  }

  @Authorized(rolesFor('Query.revenueReport'))
  @Query(() => [RevenueLine], { description: 'Owners only; sessions completed and fees charged in from..to.' })
  revenueReport(@Ctx() ctx: Context, @Arg('from', () => LocalDate) from: string, @Arg('to', () => LocalDate) to: string) {
    return ctx.services.billing.revenue(from, to);
  }

  @Authorized(rolesFor('Query.creditPacks'))
  @Query(() => [CreditPack])
  creditPacks(@Ctx() ctx: Context, @Arg('memberId', () => ID, { nullable: true }) memberId?: string | null) {
    return ctx.services.billing.creditPacks(actorOf(ctx), memberId);
  }

  @Authorized(rolesFor('Mutation.grantCreditPack'))
  @Mutation(() => CreditPack, { description: 'Owners only: records a pack sold to a member (a PACK_PURCHASE charge).' })
  grantCreditPack(@Ctx() ctx: Context, @Arg('input') input: GrantCreditPackInput) {
    return ctx.services.billing.grantCreditPack(actorOf(ctx), input);
  }

  @Authorized(rolesFor('Mutation.addAdjustment'))
  @Mutation(() => Charge, { description: "Owners only: a correction or waiver (negative amount) on a member's ledger." })
  addAdjustment(@Ctx() ctx: Context, @Arg('input') input: AdjustmentInput) {
    return ctx.services.billing.addAdjustment(actorOf(ctx), input);
  }
}

@Resolver(() => Charge)
export class ChargeResolver {
  @FieldResolver(() => User)
  member(@Root() charge: ChargeView, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, charge.memberId, 'User');
  }

  // A charge is read only by its member (a party of the session) or an owner.
  @FieldResolver(() => TrainingSession, { nullable: true })
  session(@Root() charge: ChargeView, @Ctx() ctx: Context) {
    return charge.sessionId ? ctx.loaders.session.load(charge.sessionId) : null;
  }

  @FieldResolver(() => Enrollment, { nullable: true })
  enrollment(@Root() charge: ChargeView, @Ctx() ctx: Context) {
    return charge.enrollmentId ? ctx.loaders.enrollment.load(charge.enrollmentId) : null;
  }

  @FieldResolver(() => CreditPack, { nullable: true })
  creditPack(@Root() charge: ChargeView, @Ctx() ctx: Context) {
    return charge.creditPackId ? ctx.loaders.creditPack.load(charge.creditPackId) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  createdBy(@Root() charge: ChargeView, @Ctx() ctx: Context) {
    return charge.createdBy ? ctx.loaders.user.load(charge.createdBy) : null;
  }
}

@Resolver(() => CreditPack)
export class CreditPackResolver {
  @FieldResolver(() => User)
  member(@Root() pack: CreditPackView, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, pack.memberId, 'User');
  }
}

@Resolver(() => MemberStatement)
export class MemberStatementResolver {
  @FieldResolver(() => User)
  member(@Root() statement: StatementView, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, statement.memberId, 'User');
  }
}

@Resolver(() => RevenueLine)
export class RevenueLineResolver {
  @FieldResolver(() => User)
  coach(@Root() line: RevenueLineView, @Ctx() ctx: Context) {
    return loadOrFail(ctx.loaders.user, line.coachId, 'User');
  }
}
