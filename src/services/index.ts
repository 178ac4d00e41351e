import { AvailabilityService } from './availability.service';
import { BookingSessionService } from './booking-session.service';
import { CoachSettingsService } from './coach-settings.service';
import type { ServiceDeps } from './context';
import { RoomService } from './room.service';
import { SessionService } from './session.service';
import { UserService } from './user.service';

/** Every use case of the server, built once at start-up. */
export function createServices(deps: ServiceDeps) {
  return {
    users: new UserService(deps),
    rooms: new RoomService(deps),
    coachSettings: new CoachSettingsService(deps),
    availability: new AvailabilityService(deps),
    sessionBookings: new BookingSessionService(deps),
    sessionLifecycle: new SessionService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
