/** What a `classSessionChanged` subscriber asked for; all optional. */
export interface ClassSubscriptionArgs {
  sessionId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Does this subscriber receive a change of this class? One class, or the classes starting in [from, to): the arguments only narrow (none: every class). */
export function receivesClassChange(args: ClassSubscriptionArgs, cls: { id: string; startTime: Date }): boolean {
  if (args.sessionId && args.sessionId !== cls.id) return false;
  if (args.from && cls.startTime.getTime() < args.from.getTime()) return false;
  if (args.to && cls.startTime.getTime() >= args.to.getTime()) return false;
  return true;
}
