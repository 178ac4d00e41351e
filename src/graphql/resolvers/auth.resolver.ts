import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import { actorOf, type Context } from '../context';
import { UpdateProfileInput } from '../inputs/profile.input';
import { Public } from '../public';
import { AuthPayload } from '../types/auth-payload.type';
import { User } from '../types/user.type';

@Resolver()
export class AuthResolver {
  @Public('Mutation.requestSignInCode')
  @Mutation(() => Boolean, { description: 'Anonymous. Emails a 6-digit code, valid 10 minutes, at most 5 tries. Always true, whether or not an account has that address.' })
  requestSignInCode(@Ctx() ctx: Context, @Arg('email') email: string) {
    return ctx.services.auth.requestSignInCode(email, ctx.clientIp ?? 'unknown');
  }

  @Public('Mutation.signInWithCode')
  @Mutation(() => AuthPayload, { description: 'Anonymous. A wrong, used or expired code is UNAUTHENTICATED.' })
  signInWithCode(@Ctx() ctx: Context, @Arg('email') email: string, @Arg('code') code: string) {
    return ctx.services.auth.signInWithCode(email, code);
  }

  @Public('Mutation.signInWithPassword')
  @Mutation(() => AuthPayload, { description: 'Anonymous. Wrong email and wrong password get the same error.' })
  signInWithPassword(@Ctx() ctx: Context, @Arg('email') email: string, @Arg('password') password: string) {
    return ctx.services.auth.signInWithPassword(email, password);
  }

  @Public('Mutation.refreshSession')
  @Mutation(() => AuthPayload, { description: 'Anonymous: trades a refresh token for a new pair.' })
  refreshSession(@Ctx() ctx: Context, @Arg('refreshToken') refreshToken: string) {
    return ctx.services.auth.refreshSession(refreshToken);
  }

  @Authorized(rolesFor('Mutation.setPassword'))
  @Mutation(() => Boolean, { description: "The caller's password; currentPassword is required once one is set." })
  setPassword(
    @Ctx() ctx: Context,
    @Arg('newPassword') newPassword: string,
    @Arg('currentPassword', () => String, { nullable: true }) currentPassword?: string | null,
  ) {
    return ctx.services.auth.setPassword(actorOf(ctx), currentPassword, newPassword);
  }

  @Authorized(rolesFor('Mutation.signOut'))
  @Mutation(() => Boolean)
  signOut(@Ctx() ctx: Context, @Arg('refreshToken') refreshToken: string) {
    return ctx.services.auth.signOut(actorOf(ctx), refreshToken);
  }

  @Authorized(rolesFor('Mutation.signOutEverywhere'))
  @Mutation(() => Boolean, { description: 'Revokes every refresh token and every access token issued before now.' })
  signOutEverywhere(@Ctx() ctx: Context) {
    return ctx.services.auth.signOutEverywhere(actorOf(ctx));
  }

  @Authorized(rolesFor('Mutation.updateProfile'))
  @Mutation(() => User)
  updateProfile(@Ctx() ctx: Context, @Arg('input') input: UpdateProfileInput) {
    return ctx.services.users.updateProfile(actorOf(ctx), input);
  }
}
