import type { Actor } from '../auth/actor';
import { badInput, forbidden, notFound } from '../errors';
import type { CoachSettings } from '../generated/prisma/client';
import type { ServiceDeps } from './context';
import { UserService } from './user.service';
import { assertAmount } from './money-input';

export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 480;
export const DEFAULT_DURATION_MINUTES = 60;

/** A session's or class's length: whole minutes, MIN_DURATION_MINUTES to MAX_DURATION_MINUTES. */
export function assertDurationMinutes(minutes: number, field: string): void {
  if (!Number.isInteger(minutes) || minutes < MIN_DURATION_MINUTES || minutes > MAX_DURATION_MINUTES) {
    throw badInput(field, `Duration must be between ${MIN_DURATION_MINUTES} and ${MAX_DURATION_MINUTES} minutes`);
  }
}

export interface CoachSettingsChange {
  coachId?: string | null;
  defaultRoomId?: string | null;
  defaultDurationMinutes?: number | null;
  sessionPriceCents?: number | null;
}

/**
 * The coach a coach-or-owner write addresses: coaches act on themselves,
 * owners must name the coach. `field` is the input path of the coach id.
 */
export function targetCoachId(actor: Actor, coachId: string | null | undefined, field: string): string {
  if (actor.role === 'COACH') {
    if (coachId && coachId !== actor.id) throw forbidden('Coaches can only change their own schedule and settings');
    return actor.id;
  }
  if (!coachId) throw badInput(field, 'coachId is required');
  return coachId;
}

export class CoachSettingsService {
  private readonly users: UserService;

  constructor(private readonly deps: ServiceDeps) {
    this.users = new UserService(deps);
  }

  /** A coach's settings; a coach without a row gets the defaults. */
  async get(coachId: string): Promise<CoachSettings> {
    await this.users.requireRole(coachId, 'COACH', 'coachId');
    const row = await this.deps.db.prisma.coachSettings.findUnique({ where: { coachId } });
    return row ?? { coachId, defaultRoomId: null, defaultDurationMinutes: DEFAULT_DURATION_MINUTES, sessionPriceCents: null, updatedAt: new Date(0) };
  }

  async update(actor: Actor, change: CoachSettingsChange): Promise<CoachSettings> {
    const coachId = targetCoachId(actor, change.coachId, 'input.coachId');
    await this.users.requireRole(coachId, 'COACH', 'input.coachId');
    const duration = change.defaultDurationMinutes;
    if (duration != null) assertDurationMinutes(duration, 'input.defaultDurationMinutes');
    assertAmount(change.sessionPriceCents, 'input.sessionPriceCents');
    if (change.defaultRoomId) {
      const room = await this.deps.db.prisma.room.findUnique({ where: { id: change.defaultRoomId } });
      if (!room) throw notFound('Room', 'input.defaultRoomId');
    }
    // undefined leaves a field as it is; an explicit null clears the default room.
    const data = {
      ...(change.defaultRoomId !== undefined ? { defaultRoomId: change.defaultRoomId } : {}),
      ...(duration != null ? { defaultDurationMinutes: duration } : {}),
      // undefined leaves the price as it is; null clears it (sessions are then free unless priced).
      ...(change.sessionPriceCents !== undefined ? { sessionPriceCents: change.sessionPriceCents } : {}),
    };
    return this.deps.db.prisma.coachSettings.upsert({
      where: { coachId },
      create: { coachId, ...data },
      update: data,
    });
  }
}
