import type { Role } from '../domain/lifecycle';

/** The authenticated caller, as services see it. */
export interface Actor {
  id: string;
  role: Role;
}
