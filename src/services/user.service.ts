import type { Actor } from '../auth/actor';
import { PG, sqlState } from '../db/pg-errors';
import type { Role } from '../domain/lifecycle';
import { AppError, badInput, conflict, notFound } from '../errors';
import type { User } from '../generated/prisma/client';
import { inTransaction } from '../db/transaction';
import { isValidTimezone } from '../domain/zone-time';
import type { ServiceDeps } from './context';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
}

export class UserService {
  constructor(private readonly deps: ServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  async me(actor: Actor): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id: actor.id } });
    if (!user) throw notFound('User');
    return user;
  }

  list(role?: Role | null): Promise<User[]> {
    return this.prisma.user.findMany({ where: role ? { role } : {}, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  }

  coaches(): Promise<User[]> {
    return this.list('COACH');
  }

  /** The zone a person's times are shown in: their own, else the studio's. */
  timezoneOf(user: { timezone?: string | null }): string {
    return user.timezone ?? this.deps.config.studioTimezone;
  }

  findByEmail(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  }

  /**
   * `invite`: also email the person how to sign in (an owner's createUser, when mail is
   * configured); the admin CLI and the seed create people without mail.
   */
  async create(input: NewUser, { invite = false }: { invite?: boolean } = {}): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    if (!name) throw badInput('input.name', 'Name must not be empty');
    try {
      // The invitation (how to sign in) is written in the same transaction: no user without it, no email without the user.
      return await inTransaction(this.prisma, async (tx) => {
        const user = await tx.user.create({ data: { email, name, role: input.role } });
        if (invite && this.deps.mail?.delivers) await this.deps.mail.invitation(tx, user);
        return user;
      });
    } catch (error) {
      if (sqlState(error) === PG.uniqueViolation || (error as { code?: string }).code === 'P2002') {
        throw conflict(`A user with email ${email} already exists`);
      }
      throw error;
    }
  }

  /**
   * The caller's own name and timezone. Left out: unchanged; timezone null: back to
   * the studio's. A zone keeps the spelling the client sent (Europe/Kyiv stays
   * Europe/Kyiv, not ICU's older Europe/Kiev), with its case fixed.
   */
  async updateProfile(actor: Actor, input: { name?: string | null; timezone?: string | null }): Promise<User> {
    const data: { name?: string; timezone?: string | null } = {};
    if (input.name !== undefined && input.name !== null) {
      const name = input.name.trim();
      if (name.length < 1 || name.length > 100) throw badInput('input.name', 'must be 1 to 100 characters');
      data.name = name;
    }
    if (input.timezone === null) data.timezone = null;
    else if (input.timezone !== undefined) data.timezone = ianaSpelling(input.timezone, 'input.timezone');
    return this.prisma.user.update({ where: { id: actor.id }, data });
  }

  /** Loads a user that must exist and have `role`; NOT_FOUND names `field` otherwise. */
  async requireRole(id: string, role: Role, field: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id } }).catch(() => null);
    if (!user || user.role !== role) throw new AppError('NOT_FOUND', `${role.toLowerCase()} ${id} not found`, field);
    return user;
  }
}

/** A valid IANA zone as the client spelled it, case fixed from the runtime's list; BAD_USER_INPUT otherwise. */
export function ianaSpelling(raw: string, field: string): string {
  const zone = raw.trim();
  if (zone.length === 0 || zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) || !isValidTimezone(zone)) {
    throw badInput(field, `unknown IANA timezone "${zone.slice(0, 64)}"`);
  }
  const listed = Intl.supportedValuesOf('timeZone').find((name) => name.toLowerCase() === zone.toLowerCase());
  return listed ?? zone;
}
