import { PG, sqlState } from '../db/pg-errors';
import { badInput, conflict } from '../errors';
import type { Room } from '../generated/prisma/client';
import type { ServiceDeps } from './context';

export const MAX_ROOM_CAPACITY = 500;

export class RoomService {
  constructor(private readonly deps: ServiceDeps) {}

  list(): Promise<Room[]> {
    return this.deps.db.prisma.room.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  }

  async create(name: string, capacity: number): Promise<Room> {
    const trimmed = name.trim();
    if (!trimmed) throw badInput('name', 'Room name must not be empty');
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_ROOM_CAPACITY) {
      throw badInput('capacity', `Capacity must be between 1 and ${MAX_ROOM_CAPACITY}`);
    }
    try {
      return await this.deps.db.prisma.room.create({ data: { name: trimmed, capacity } });
    } catch (error) {
      if (sqlState(error) === PG.uniqueViolation || (error as { code?: string }).code === 'P2002') {
        throw conflict(`A room named ${trimmed} already exists`);
      }
      throw error;
    }
  }
}
