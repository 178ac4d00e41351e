import type { SignInMail } from '../auth/sign-in-mail';
import type { TokenIssuer } from '../auth/tokens';
import type { Config } from '../config';
import type { Db } from '../db/prisma';
import type { Logger } from '../logger';
import type { EventPublisher } from './events';

/** What every service is built from. */
export interface ServiceDeps {
  db: Db;
  config: Config;
  events: EventPublisher;
  log: Logger;
  now: () => Date;
  /** Signs access tokens; the server has one, command-line tools that sign nobody in need none. */
  tokens?: TokenIssuer;
  /** Sign-in codes and invitations by email; none: nothing is mailed. */
  mail?: SignInMail;
}
