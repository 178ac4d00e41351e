import type { Actor } from '../auth/actor';
import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Loaders } from './loaders';

/** Per request (HTTP) or per subscribe (websocket). */
export interface Context {
  actor: Actor | null;
  requestId: string;
  services: Services;
  loaders: Loaders;
  log: Logger;
  /** The client's address (X-Forwarded-For only as far as TRUST_PROXY says), for per-client limits. */
  clientIp?: string;
}

/** The actor of a resolver behind @Authorized: the auth checker has already refused anonymous calls. */
export function actorOf(ctx: Context): Actor {
  if (!ctx.actor) throw new Error('actorOf called on an unauthenticated context');
  return ctx.actor;
}
