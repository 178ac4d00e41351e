import type { Sealer } from '../auth/sealing';
import type { SignInMail } from '../auth/sign-in-mail';
import type { TokenIssuer } from '../auth/tokens';
import type { Config } from '../config';
import type { Db } from '../db/prisma';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { EventPublisher } from '../runtime/event-publisher';

/** What every service is built from. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  events: EventPublisher;
  log: Logger;
  /** This instance's Prometheus metrics (src/metrics/metrics.ts). */
  metrics: Metrics;
  now: () => Date;
  /** Seals secrets kept for later (feed URLs, webhook signing secrets) under a key derived from JWT_SECRET. */
  sealer: Sealer;
  /** Signs access tokens; the server has one, command-line tools that sign nobody in need none. */
  tokens?: TokenIssuer;
  /** Sign-in codes and invitations by email; none: nothing is mailed. */
  mail?: SignInMail;
}
