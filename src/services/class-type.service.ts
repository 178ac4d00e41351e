import { PG, sqlState, violatedConstraint } from '../db/pg-errors';
import { isUuid } from '../domain/ids';
import { badInput, conflict, notFound } from '../errors';
import type { ClassType } from '../generated/prisma/client';
import { MAX_CLASS_CAPACITY } from './class-session.service';
import { assertDurationMinutes } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { assertAmount } from './money-input';

export const MAX_WAITLIST_CAPACITY = 500;
export const MAX_CREDITS_PER_CLASS = 10;

export interface ClassTypeFields {
  name: string;
  description?: string | null;
  durationMinutes: number;
  capacity: number;
  waitlistCapacity?: number | null;
  priceCents?: number | null;
  creditsPerClass?: number | null;
}

/** An update: fields left out or null keep their value (description and priceCents: null clears them). */
export type ClassTypeChange = { [K in keyof ClassTypeFields]?: ClassTypeFields[K] | null } & { id: string; archived?: boolean | null };

function integerIn(value: number, min: number, max: number, field: string, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) throw badInput(field, `${what} must be between ${min} and ${max}`);
}

/** Checks every field given, in input order; `name` comes back trimmed. */
function checked<T extends Omit<ClassTypeChange, 'id'>>(input: T): T {
  const out = { ...input };
  if (input.name != null) {
    out.name = input.name.trim();
    if (!out.name) throw badInput('input.name', 'A class type needs a name');
  }
  if (input.description != null) out.description = input.description.trim() || null;
  if (input.durationMinutes != null) assertDurationMinutes(input.durationMinutes, 'input.durationMinutes');
  if (input.capacity != null) integerIn(input.capacity, 1, MAX_CLASS_CAPACITY, 'input.capacity', 'Capacity');
  if (input.waitlistCapacity != null) integerIn(input.waitlistCapacity, 0, MAX_WAITLIST_CAPACITY, 'input.waitlistCapacity', 'Waitlist capacity');
  assertAmount(input.priceCents, 'input.priceCents');
  if (input.creditsPerClass != null) integerIn(input.creditsPerClass, 0, MAX_CREDITS_PER_CLASS, 'input.creditsPerClass', 'Credits per class');
  return out;
}

/** Two live class types with one name (any case) would be one in a timetable. */
function asNameConflict(error: unknown): never {
  if (sqlState(error) === PG.uniqueViolation && violatedConstraint(error) === 'class_types_name_key') {
    throw conflict('A class type with that name already exists');
  }
  if ((error as { code?: string }).code === 'P2002') throw conflict('A class type with that name already exists');
  throw error;
}

/** What classes are. Owners write them; a class copies its type's defaults when it is created, so edits never change classes already on the timetable. */
export class ClassTypeService {
  constructor(private readonly deps: ServiceDeps) {}

  list(includeArchived: boolean): Promise<ClassType[]> {
    return this.deps.db.prisma.classType.findMany({
      where: includeArchived ? {} : { archived: false },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
  }

  async create(input: ClassTypeFields): Promise<ClassType> {
    const { name, description, durationMinutes, capacity, waitlistCapacity, priceCents, creditsPerClass } = checked(input);
    const now = this.deps.now();
    return this.deps.db.prisma.classType
      .create({
        data: {
          name, description: description ?? null, durationMinutes, capacity,
          waitlistCapacity: waitlistCapacity ?? 0, priceCents: priceCents ?? null, creditsPerClass: creditsPerClass ?? 1,
          createdAt: now, updatedAt: now,
        },
      })
      .catch(asNameConflict);
  }

  async update(input: ClassTypeChange): Promise<ClassType> {
    const existing = isUuid(input.id) ? await this.deps.db.prisma.classType.findUnique({ where: { id: input.id } }) : null;
    if (!existing) throw notFound('Class type', 'input.id');
    const { id, archived, ...fields } = checked(input);
    const data: Record<string, unknown> = { updatedAt: this.deps.now() };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && (value !== null || key === 'description' || key === 'priceCents')) data[key] = value;
    }
    if (archived != null) data.archived = archived;
    return this.deps.db.prisma.classType.update({ where: { id }, data }).catch(asNameConflict);
  }
}
