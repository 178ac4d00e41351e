import { Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { rolesFor } from '../../auth/policy';
import type { CalendarFeedInfo } from '../../services/calendar-feed.service';
import { actorOf, type Context } from '../context';
import { CalendarFeed } from '../types/calendar-feed.type';

/** The URL is PUBLIC_URL's when set, else the origin the client used to reach us. */
function toFeed(ctx: Context, feed: CalendarFeedInfo): CalendarFeed {
  const base = ctx.services.calendarFeeds.publicUrl ?? ctx.origin ?? '';
  return { url: `${base}/calendar/${feed.secret}.ics`, createdAt: feed.createdAt };
}

@Resolver(() => CalendarFeed)
export class CalendarFeedResolver {
  @Authorized(rolesFor('Query.calendarFeed'))
  @Query(() => CalendarFeed, { description: "The caller's feed, created on first ask." })
  async calendarFeed(@Ctx() ctx: Context): Promise<CalendarFeed> {
    return toFeed(ctx, await ctx.services.calendarFeeds.feedOf(actorOf(ctx)));
  }

  @Authorized(rolesFor('Mutation.rotateCalendarFeed'))
  @Mutation(() => CalendarFeed, { description: 'A new secret URL; the old one answers 404 from now on.' })
  async rotateCalendarFeed(@Ctx() ctx: Context): Promise<CalendarFeed> {
    return toFeed(ctx, await ctx.services.calendarFeeds.rotate(actorOf(ctx)));
  }
}
