import type { Actor } from '../auth/actor';
import { PG, sqlState } from '../db/pg-errors';
import type { Role } from '../domain/lifecycle';
import { AppError, badInput, conflict, notFound } from '../errors';
import type { User } from '../generated/prisma/client';
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

  async create(input: NewUser): Promise<User> {
    const email = input.email.trim().toLowerCase();
    const name = input.name.trim();
    if (!name) throw badInput('input.name', 'Name must not be empty');
    try {
      return await this.prisma.user.create({ data: { email, name, role: input.role } });
    } catch (error) {
      if (sqlState(error) === PG.uniqueViolation || (error as { code?: string }).code === 'P2002') {
        throw conflict(`A user with email ${email} already exists`);
      }
      throw error;
    }
  }

  /** Loads a user that must exist and have `role`; NOT_FOUND names `field` otherwise. */
  async requireRole(id: string, role: Role, field: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id } }).catch(() => null);
    if (!user || user.role !== role) throw new AppError('NOT_FOUND', `${role.toLowerCase()} ${id} not found`, field);
    return user;
  }
}
